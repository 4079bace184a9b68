namespace Vox.Testing;

/// <summary>Polls a condition until it holds, for tests that wait on another process.</summary>
public static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> is true; a <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Timed out waiting until {what}.");
    }
}
