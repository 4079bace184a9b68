namespace Vox.Dashboard.Tests;

/// <summary>Every dashboard test shares one silo and one browser; the tests run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
