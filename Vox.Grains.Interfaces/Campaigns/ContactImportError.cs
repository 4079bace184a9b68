namespace Vox.Grains.Campaigns;

/// <summary>Why one CSV row (1-based, the header is row 1) was rejected, naming the column.</summary>
public sealed record ContactImportError(int Row, string Field, string Message);
