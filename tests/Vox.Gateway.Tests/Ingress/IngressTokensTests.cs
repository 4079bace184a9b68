using System.Net;
using Vox.Gateway.Ingress;

namespace Vox.Gateway.Tests.Ingress;

public sealed class IngressTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Signed_token_verifies_for_its_bot_until_it_expires()
    {
        var token = IngressTokens.Sign("s3cret", "bot_a", Now.AddMinutes(5));
        Assert.True(IngressTokens.Verify("s3cret", "bot_a", token, Now));
        Assert.True(IngressTokens.Verify("s3cret", "bot_a", token, Now.AddMinutes(5)));
        Assert.False(IngressTokens.Verify("s3cret", "bot_a", token, Now.AddMinutes(5).AddSeconds(1)));
    }

    [Theory]
    [InlineData("other-secret", "bot_a")]
    [InlineData("s3cret", "bot_b")]
    public void Token_for_another_secret_or_bot_is_refused(string secret, string botId)
    {
        var token = IngressTokens.Sign("s3cret", "bot_a", Now.AddMinutes(5));
        Assert.False(IngressTokens.Verify(secret, botId, token, Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData(".abc")]
    [InlineData("99999999999.")]
    public void Malformed_tokens_are_refused(string token) => Assert.False(IngressTokens.Verify("s3cret", "bot_a", token, Now));

    [Fact]
    public void Moving_the_expiry_breaks_the_signature()
    {
        var token = IngressTokens.Sign("s3cret", "bot_a", Now.AddMinutes(5));
        var later = Now.AddDays(30).ToUnixTimeSeconds() + token[token.IndexOf('.', StringComparison.Ordinal)..];
        Assert.False(IngressTokens.Verify("s3cret", "bot_a", later, Now));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("192.0.2.7", true)]
    [InlineData("::ffff:10.9.9.9", true)]
    [InlineData("192.0.2.8", false)]
    [InlineData("2001:db8::1", false)]
    public void Allow_list_takes_addresses_and_cidr_ranges(string address, bool allowed) =>
        Assert.Equal(allowed, IngressAuthenticator.IsAllowed(IPAddress.Parse(address), ["10.0.0.0/8", "192.0.2.7", "not-an-address"]));
}
