namespace Vox.Integration.Tests.Ingress;

/// <summary>The ingress test classes share one silo (<see cref="IngressFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class IngressCollection : ICollectionFixture<IngressFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "ingress";
}
