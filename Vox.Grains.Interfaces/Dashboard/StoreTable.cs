namespace Vox.Grains.Dashboard;

/// <summary>Rows of a table read as text, for features whose schema the dashboard does not own (campaigns).</summary>
public sealed record StoreTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows);
