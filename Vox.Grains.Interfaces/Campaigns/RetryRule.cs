namespace Vox.Grains.Campaigns;

/// <summary>What to do after one outcome: dial again after <see cref="DelaySeconds"/> while the contact has had fewer than <see cref="MaxAttempts"/> attempts.</summary>
public sealed record RetryRule(int DelaySeconds, int MaxAttempts);
