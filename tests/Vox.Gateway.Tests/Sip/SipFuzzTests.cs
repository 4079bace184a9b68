using System.Diagnostics;
using Vox.Gateway.Sip.Messages;
using Xunit.Abstractions;

namespace Vox.Gateway.Tests.Sip;

public sealed class SipFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;

    private static readonly string[] Tokens =
    [
        "\r\n", "\r\n\r\n", "\n", " ", "\t", ":", ";", ",", "<", ">", "\"", "\\", "@", "=", "%", "%00", "\0", "\u00ff", "SIP/2.0", "sip:",
        "Content-Length: 99999", "l: -1", "Via: SIP/2.0/UDP", ";branch=z9hG4bK", "tag=", "[::1]", ":65536", "\r\n ", "CSeq: 4294967296 INVITE",
    ];

    [Fact]
    public void Mutated_messages_never_throw_are_answered_or_dropped_and_memory_stays_flat()
    {
        var seeds = TortureCorpus.All.Select(c => c.Bytes).ToArray();
        var random = new Random(4475);
        int valid = 0, answered = 0, dropped = 0;
        var clock = Stopwatch.StartNew();
        long memoryAfterWarmup = 0;
        for (var i = 0; i < Iterations; i++)
        {
            if (i == Iterations / 10)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                memoryAfterWarmup = GC.GetTotalMemory(forceFullCollection: true);
            }

            var input = Mutate(seeds[random.Next(seeds.Length)], random);
            SipIntakeResult result;
            try
            {
                result = SipIntake.Accept(input);
                if (result.Message is SipRequest request)
                {
                    _ = request.CSeq;
                    _ = request.From?.Uri.DecodedUser;
                    _ = SipUri.TryParse(request.RequestUri, out _);
                    _ = request.ToBytes();
                }

                result.Reply?.ToBytes();
            }
            catch (Exception ex)
            {
                Assert.Fail($"iteration {i}: {ex}\n--- input ---\n{System.Text.Encoding.UTF8.GetString(input)}");
                return;
            }

            if (result.Message is not null)
            {
                valid++;
            }
            else if (result.Reply is not null)
            {
                Assert.True(result.Reply.StatusCode is 400 or 416 or 505 or 513, $"unexpected reply {result.Reply.StatusCode}");
                answered++;
            }
            else
            {
                dropped++;
            }
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var memoryAtEnd = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{Iterations} messages in {clock.Elapsed.TotalSeconds:0.0} s: {valid} valid, {answered} answered, {dropped} dropped; " +
                         $"heap {memoryAfterWarmup / 1024} KiB -> {memoryAtEnd / 1024} KiB");
        Assert.Equal(Iterations, valid + answered + dropped);
        Assert.True(answered > 1000 && dropped > 1000 && valid > 1000, "the mutations reach every outcome");
        Assert.True(memoryAtEnd - memoryAfterWarmup < 4 * 1024 * 1024, "the heap does not grow with the number of messages parsed");
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 16)));
                    break;
                case 2:
                    bytes.InsertRange(at, System.Text.Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4:
                    var len = Math.Min(bytes.Count - at, random.Next(1, 40));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, len));
                    break;
                case 5:
                    bytes[at] = (byte)char.ToUpperInvariant((char)bytes[at]);
                    break;
                default:
                    bytes.InsertRange(at, Enumerable.Repeat((byte)random.Next(32, 127), random.Next(1, 300)));
                    break;
            }
        }

        return bytes.ToArray();
    }
}
