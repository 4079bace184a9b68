using Vox.Grains.Campaigns;

namespace Vox.Gateway.Campaigns;

/// <summary>
/// A parsed CSV: the valid contacts (duplicates by phone merged, later rows winning), the per-row errors, and a
/// file-level error (missing column, bad encoding, too many rows) that rejects the whole file.
/// </summary>
public sealed record ContactCsvReport(
    IReadOnlyList<CampaignContactInput> Contacts,
    int Rows,
    int Duplicates,
    IReadOnlyList<ContactImportError> Errors,
    ContactImportError? FileError);
