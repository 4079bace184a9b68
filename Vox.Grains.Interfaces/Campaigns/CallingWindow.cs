namespace Vox.Grains.Campaigns;

/// <summary>Hours on one weekday, in the contact's own time zone, when it may be dialled (<see cref="Start"/> inclusive, <see cref="End"/> exclusive).</summary>
public sealed record CallingWindow(DayOfWeek Day, TimeOnly Start, TimeOnly End);
