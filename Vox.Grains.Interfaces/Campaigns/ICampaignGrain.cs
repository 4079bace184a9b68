namespace Vox.Grains.Campaigns;

/// <summary>
/// One dialler campaign. Any silo may call it; only the lease holder's <see cref="TickAsync"/> launches calls, each one
/// claimed in a transaction that checks the lease epoch, so a stale holder cannot launch.
/// </summary>
public interface ICampaignGrain : IGrainWithStringKey
{
    /// <summary>Creates the campaign as a draft for <paramref name="tenantId"/>.</summary>
    Task<CampaignRecord> CreateAsync(string tenantId, CampaignSpec spec, CancellationToken cancellationToken);

    /// <summary>The campaign; <see cref="NotFoundException"/> if it is not the tenant's.</summary>
    Task<CampaignRecord> GetAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Adds contacts in one transaction; a phone already in the campaign is merged (its name and variables updated).</summary>
    Task<ContactImportResult> ImportContactsAsync(string tenantId, IReadOnlyList<CampaignContactInput> contacts, CancellationToken cancellationToken);

    /// <summary>Starts, pauses, resumes or cancels; <see cref="ConflictException"/> when the move is not allowed from the current status.</summary>
    Task<CampaignRecord> ChangeStatusAsync(string tenantId, CampaignStatus target, CancellationToken cancellationToken);

    /// <summary>Contacts per state, attempts and ETA.</summary>
    Task<CampaignProgress> GetProgressAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>The campaign's contacts, in import order.</summary>
    Task<IReadOnlyList<CampaignContact>> GetContactsAsync(string tenantId, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>Every attempt (or one contact's), in launch order.</summary>
    Task<IReadOnlyList<CampaignAttempt>> GetAttemptsAsync(string tenantId, string? contactId, CancellationToken cancellationToken);

    /// <summary>One pacing tick run by <paramref name="holder"/>: take or renew the lease, apply outcomes, launch the budget, complete when done.</summary>
    Task<CampaignTickResult> TickAsync(string holder, CancellationToken cancellationToken);
}
