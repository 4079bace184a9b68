using System.Text;
using Vox.Grains.Numbers;

using Vox.Grains.Campaigns;

namespace Vox.Gateway.Campaigns;

/// <summary>
/// Reads a contacts CSV (RFC 4180: commas, double-quoted fields, CRLF or LF) from a stream, one record at a time:
/// columns <c>phone</c> (E.164) and <c>time_zone</c> (IANA) are required, <c>name</c> optional, every other column is a
/// template variable. The text must be UTF-8; an invalid byte rejects the file.
/// </summary>
public static class ContactCsvReader
{
    /// <summary>Per-row errors listed in a report at most; the count beyond is still rejected.</summary>
    public const int MaxListedErrors = 1_000;

    private static readonly string[] PhoneNames = ["phone", "phone_number", "number"];
    private static readonly string[] ZoneNames = ["time_zone", "timezone", "tz"];

    /// <summary>Parses <paramref name="stream"/> up to <paramref name="maxRows"/> data rows.</summary>
    public static async Task<ContactCsvReport> ReadAsync(Stream stream, int maxRows, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false);
        var errors = new List<ContactImportError>();
        var contacts = new Dictionary<string, CampaignContactInput>(StringComparer.Ordinal);
        var rows = 0;
        var duplicates = 0;
        try
        {
            var header = await ReadRecordAsync(reader, cancellationToken).ConfigureAwait(false);
            if (header is null)
            {
                return Fail(new ContactImportError(1, "file", "The file is empty; the first row must name the columns."));
            }

            var columns = header.Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
            var phone = columns.FindIndex(c => PhoneNames.Contains(c));
            var zone = columns.FindIndex(c => ZoneNames.Contains(c));
            var name = columns.IndexOf("name");
            if (phone < 0 || zone < 0)
            {
                var missing = phone < 0 ? "phone" : "time_zone";
                return Fail(new ContactImportError(1, missing, $"The header has no '{missing}' column; it has: {string.Join(", ", columns)}."));
            }

            var duplicate = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                return Fail(new ContactImportError(1, duplicate.Key, $"The header names '{duplicate.Key}' twice."));
            }

            while (await ReadRecordAsync(reader, cancellationToken).ConfigureAwait(false) is { } record)
            {
                if (record.Count == 1 && record[0].Length == 0)
                {
                    continue;
                }

                rows++;
                var rowNo = rows + 1;
                if (rows > maxRows)
                {
                    return Fail(new ContactImportError(rowNo, "file", $"More than {maxRows} rows; split the file."));
                }

                var contact = Validate(record, columns, phone, zone, name, rowNo, errors);
                if (contact is null)
                {
                    continue;
                }

                if (contacts.ContainsKey(contact.Phone))
                {
                    duplicates++;
                }

                contacts[contact.Phone] = contact;
            }
        }
        catch (DecoderFallbackException)
        {
            return Fail(new ContactImportError(rows + 2, "file", "The file is not valid UTF-8; save it as UTF-8 CSV."));
        }

        return new ContactCsvReport(contacts.Values.ToList(), rows, duplicates, errors, null);

        ContactCsvReport Fail(ContactImportError error) => new([], rows, duplicates, errors, error);
    }

    private static CampaignContactInput? Validate(List<string> record, List<string> columns, int phone, int zone, int name, int rowNo, List<ContactImportError> errors)
    {
        var before = errors.Count;
        if (record.Count != columns.Count)
        {
            Add(new ContactImportError(rowNo, "row", $"Has {record.Count} fields; the header has {columns.Count}."));
            return null;
        }

        var number = record[phone].Trim();
        if (!E164.IsValid(number))
        {
            Add(new ContactImportError(rowNo, columns[phone], $"'{number}' is not an E.164 number (+ then 7 to 15 digits)."));
        }

        var tz = record[zone].Trim();
        if (!IsZone(tz))
        {
            Add(new ContactImportError(rowNo, columns[zone], $"'{tz}' is not an IANA time zone (e.g. Europe/Paris)."));
        }

        if (errors.Count != before)
        {
            return null;
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            if (i != phone && i != zone && i != name && columns[i].Length > 0)
            {
                variables[columns[i]] = record[i];
            }
        }

        var displayName = name >= 0 && record[name].Trim().Length > 0 ? record[name].Trim() : null;
        return new CampaignContactInput(number, displayName, tz, variables);

        void Add(ContactImportError error)
        {
            // Count every error but list only the first ones, so a broken 100,000-row file gives a readable report.
            errors.Add(errors.Count < MaxListedErrors ? error : error with { Message = "" });
        }
    }

    private static bool IsZone(string id)
    {
        if (id.Length == 0 || !id.Contains('/', StringComparison.Ordinal) && id != "UTC")
        {
            return false;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
    }

    /// <summary>Reads one record; null at the end of the input.</summary>
    private static async Task<List<string>?> ReadRecordAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line is null)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (true)
        {
            if (i == line.Length)
            {
                if (!quoted)
                {
                    break;
                }

                // A quoted field spans lines.
                var next = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (next is null)
                {
                    break;
                }

                field.Append('\n');
                line = next;
                i = 0;
                continue;
            }

            var c = line[i++];
            if (quoted)
            {
                if (c == '"' && i < line.Length && line[i] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
