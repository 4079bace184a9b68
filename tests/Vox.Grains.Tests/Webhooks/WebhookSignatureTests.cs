using System.Text;
using Vox.Grains.Webhooks;

namespace Vox.Grains.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"a":1}""");
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public void Header_matches_an_hmac_computed_elsewhere()
    {
        // python3: hmac.new(b'whsec_test', b'1700000000.' + b'{"a":1}', hashlib.sha256).hexdigest()
        Assert.Equal("t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789",
            WebhookSignature.HeaderValue("whsec_test", 1_700_000_000, Body));
    }

    [Fact]
    public void Verify_accepts_the_signature_and_refuses_tampering_staleness_and_another_secret()
    {
        var header = WebhookSignature.HeaderValue("whsec_test", SignedAt.ToUnixTimeSeconds(), Body);
        var tolerance = TimeSpan.FromMinutes(5);

        Assert.True(WebhookSignature.Verify("whsec_test", header, Body, SignedAt.AddMinutes(4), tolerance));
        Assert.False(WebhookSignature.Verify("whsec_test", header, Encoding.UTF8.GetBytes("""{"a":2}"""), SignedAt, tolerance));
        Assert.False(WebhookSignature.Verify("whsec_test", header, Body, SignedAt.AddMinutes(6), tolerance));
        Assert.False(WebhookSignature.Verify("whsec_other", header, Body, SignedAt, tolerance));
        Assert.False(WebhookSignature.Verify("whsec_test", "v1=" + header.Split("v1=")[1], Body, SignedAt, tolerance));
        Assert.False(WebhookSignature.Verify("whsec_test", null, Body, SignedAt, tolerance));
    }
}
