namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>Must-hold 5: no provider key (nor tool secret) in any log line or in the call record.</summary>
internal static class KeyLeakAssert
{
    public static void NoKeys(CloudCallHarness h)
    {
        var record = h.RecordJson();
        foreach (var key in CloudCallHarness.Keys.Values)
        {
            Assert.DoesNotContain(key, record, StringComparison.Ordinal);
            Assert.DoesNotContain(h.Logs.Lines, line => line.Contains(key, StringComparison.Ordinal));
            Assert.DoesNotContain(key, h.Providers.Secrets.ToString(), StringComparison.Ordinal);
        }
    }
}
