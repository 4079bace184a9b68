namespace Vox.Grains.Numbers;

/// <summary>Phone numbers (E.164, unique across tenants) and the bots that answer them.</summary>
public interface IPhoneNumberCatalog
{
    /// <summary>Adds a number; a conflict if any tenant has it; the bot must be the tenant's.</summary>
    Task<PhoneNumber> CreateAsync(string tenantId, PhoneNumberInput input, CancellationToken cancellationToken);

    /// <summary>Changes the bot or label of a number.</summary>
    Task<PhoneNumber> UpdateAsync(string tenantId, string id, PhoneNumberInput input, CancellationToken cancellationToken);

    /// <summary>One number, or <see cref="NotFoundException"/>.</summary>
    Task<PhoneNumber> GetAsync(string tenantId, string id, CancellationToken cancellationToken);

    /// <summary>The tenant's numbers.</summary>
    Task<Page<PhoneNumber>> ListAsync(string tenantId, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>Removes a number.</summary>
    Task DeleteAsync(string tenantId, string id, CancellationToken cancellationToken);

    /// <summary>Routing lookup for inbound calls (SIP, FastAGI): the number's owner and bot, or null.</summary>
    Task<PhoneNumber?> FindByNumberAsync(string e164, CancellationToken cancellationToken);
}
