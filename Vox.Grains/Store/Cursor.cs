using System.Buffers.Text;
using System.Text;

namespace Vox.Grains.Store;

/// <summary>Opaque keyset-paging cursors: the (created_at, id) of the last row of a page.</summary>
public static class Cursor
{
    /// <summary>Encodes a position.</summary>
    public static string Encode(long createdAt, string id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{createdAt}:{id}"));

    /// <summary>Decodes a cursor; a malformed one is a <see cref="VoxException"/> with code <c>invalid_cursor</c>.</summary>
    public static (long CreatedAt, string Id)? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(text.AsSpan(0, colon), out var createdAt) && colon < text.Length - 1)
            {
                return (createdAt, text[(colon + 1)..]);
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        throw new VoxException("invalid_cursor", "The cursor is not one this API returned; start again without it.");
    }

    /// <summary>Turns rows fetched with limit+1 into a page.</summary>
    public static Page<TOut> ToPage<TRow, TOut>(IReadOnlyList<TRow> rows, int limit, Func<TRow, (long CreatedAt, string Id)> key, Func<TRow, TOut> map)
    {
        var items = rows.Take(limit).Select(map).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            var (createdAt, id) = key(rows[limit - 1]);
            next = Encode(createdAt, id);
        }

        return new Page<TOut>(items, next);
    }
}
