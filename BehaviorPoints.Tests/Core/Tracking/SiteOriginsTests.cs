using BehaviorPoints.Core.Tracking;

namespace BehaviorPoints.Tests.Core.Tracking;

/// <summary>A site's allowed origins: scheme and host must match, the port when given; <c>*.</c> stands for subdomains.</summary>
public sealed class SiteOriginsTests
{
    [Theory]
    [InlineData("https://www.example.com", "https://www.example.com", true)]
    [InlineData("https://www.example.com", "http://www.example.com", false)]
    [InlineData("https://www.example.com", "https://www.example.com:8443", false)]
    [InlineData("https://www.example.com", "https://example.com", false)]
    [InlineData("https://*.example.com", "https://docs.example.com", true)]
    [InlineData("https://*.example.com", "https://a.b.example.com", true)]
    [InlineData("https://*.example.com", "https://example.com", false)]
    [InlineData("https://*.example.com", "https://evilexample.com", false)]
    [InlineData("https://*.example.com", "https://example.com.evil.net", false)]
    [InlineData("http://localhost:5173", "http://localhost:5173", true)]
    [InlineData("http://localhost:5173", "http://localhost:5174", false)]
    [InlineData("https://www.example.com", "null", false)]
    public void An_origin_is_allowed_when_scheme_host_and_given_port_match(string pattern, string origin, bool allowed)
    {
        Assert.Null(SiteOrigins.Check([pattern], out var normalized));
        Assert.Equal(allowed, SiteOrigins.Allows(normalized, origin));
    }

    [Theory]
    [InlineData("www.example.com")]
    [InlineData("https://www.example.com/path")]
    [InlineData("ftp://www.example.com")]
    [InlineData("https://*")]
    [InlineData("https://www.*.com")]
    [InlineData("*")]
    [InlineData("http://*.")]
    [InlineData("https://*.com")]
    [InlineData("https://-.com")]
    [InlineData("https://ex_ample.com")]
    [InlineData("https://example.com:99999")]
    [InlineData("https://exa mple.com")]
    public void What_is_not_an_origin_is_refused_with_the_reason(string pattern)
    {
        var error = SiteOrigins.Check([pattern], out _);
        Assert.NotNull(error);
        Assert.Equal("origins", error.Field);
        Assert.Contains("is not an origin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_is_the_hex_hmac_sha256_of_the_lowercase_email_checked_whatever_the_case_of_the_email()
    {
        // Computed independently: printf 'ana@example.com' | openssl dgst -sha256 -hmac 'bpis_secret'
        const string expected = "50d4fe0c7a10cb893d3883f7f1dc0ae4bf9b2af6e72742185ca7d18ebf294d93";
        Assert.Equal(expected, IdentifySignature.Sign("bpis_secret", "Ana@Example.com"));
        Assert.True(IdentifySignature.Verifies("bpis_secret", "ANA@example.com", expected.ToUpperInvariant()));
        Assert.False(IdentifySignature.Verifies("bpis_other", "ana@example.com", expected));
        Assert.False(IdentifySignature.Verifies("bpis_secret", "ana@example.com", expected[..^1] + "0"));
    }
}
