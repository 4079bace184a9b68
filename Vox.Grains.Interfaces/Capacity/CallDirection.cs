using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>Which way a call goes; outbound calls may not take the slots kept for inbound.</summary>
[GenerateSerializer]
public enum CallDirection
{
    /// <summary>The caller called a Vox number or endpoint.</summary>
    Inbound,
    /// <summary>Vox placed the call (API or campaign).</summary>
    Outbound,
}
