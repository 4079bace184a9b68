using System.Runtime.CompilerServices;
using System.Text;

namespace Vox.MediaWorker.Providers.Http;

/// <summary>Reads the <c>data:</c> payloads of a server-sent event stream (comment lines ignored, CRLF tolerated, multi-line data joined).</summary>
public static class ServerSentEvents
{
    /// <summary>Yields each event's data as it completes (at a blank line or the end of the stream).</summary>
    public static async IAsyncEnumerable<string> ReadDataAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return data.ToString();
                    data.Clear();
                }

                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                var value = line.AsSpan(5);
                if (value.Length > 0 && value[0] == ' ')
                {
                    value = value[1..];
                }

                if (data.Length > 0)
                {
                    data.Append('\n');
                }

                data.Append(value);
            }
        }

        if (data.Length > 0)
        {
            yield return data.ToString();
        }
    }
}
