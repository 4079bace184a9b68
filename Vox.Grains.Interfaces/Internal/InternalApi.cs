namespace Vox.Grains.Internal;

/// <summary>Paths and header of the cluster-internal API that media workers call (<c>/internal/v1</c>).</summary>
public static class InternalApi
{
    /// <summary>Header carrying the cluster token.</summary>
    public const string TokenHeader = "X-Vox-Cluster-Token";

    /// <summary>Root of the internal API.</summary>
    public const string Root = "/internal/v1";

    /// <summary>A pool's capacity resource.</summary>
    public static string Pool(string pool) => $"{Root}/capacity/{Uri.EscapeDataString(pool)}";

    /// <summary>A pool's worker collection or one worker.</summary>
    public static string Workers(string pool, string? workerId = null) =>
        workerId is null ? $"{Pool(pool)}/workers" : $"{Pool(pool)}/workers/{Uri.EscapeDataString(workerId)}";

    /// <summary>A pool's reservation collection or one reservation (by call id).</summary>
    public static string Reservations(string pool, string? callId = null) =>
        callId is null ? $"{Pool(pool)}/reservations" : $"{Pool(pool)}/reservations/{Uri.EscapeDataString(callId)}";

    /// <summary>A pool's reservation batches: several reservations in one request, decided in order.</summary>
    public static string ReservationBatches(string pool) => $"{Pool(pool)}/reservation-batches";

    /// <summary>Most reservations one batch request may carry.</summary>
    public const int MaxReservationBatch = 256;

    /// <summary>One call.</summary>
    public static string Call(string callId) => $"{Root}/calls/{Uri.EscapeDataString(callId)}";

    /// <summary>Control of one SIP call on the gateway that carries its signalling (the <c>ControlUrl</c> it gives the worker).</summary>
    public static string SipCall(string callId) => $"{Root}/sip/calls/{Uri.EscapeDataString(callId)}";

    /// <summary>One bot.</summary>
    public static string Bot(string botId) => $"{Root}/bots/{Uri.EscapeDataString(botId)}";

    /// <summary>A tenant's decrypted secrets (provider keys, tool secrets) for the worker running its call.</summary>
    public static string TenantSecrets(string tenantId) => $"{Root}/tenants/{Uri.EscapeDataString(tenantId)}/secrets";

    /// <summary>Search in one knowledge base of a tenant.</summary>
    public static string KnowledgeSearch(string tenantId, string knowledgeBaseId) =>
        $"{Root}/tenants/{Uri.EscapeDataString(tenantId)}/knowledge/{Uri.EscapeDataString(knowledgeBaseId)}/search";
}
