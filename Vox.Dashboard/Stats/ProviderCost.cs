namespace Vox.Dashboard.Stats;

/// <summary>Usage and cost of one provider over a window; <see cref="Cost"/> is null when no price is configured for any of its usage.</summary>
public sealed record ProviderCost(string Provider, IReadOnlyDictionary<string, double> Usage, decimal? Cost);
