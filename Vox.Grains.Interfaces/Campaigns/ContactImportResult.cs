namespace Vox.Grains.Campaigns;

/// <summary>What an import stored: new contacts, duplicates merged into existing ones.</summary>
public sealed record ContactImportResult(int Added, int Merged);
