using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace BehaviorPoints.Core.Tracking;

/// <summary>
/// A signed identify (SPEC §16): the site's own server computes <c>hex(HMAC-SHA256(identify secret, lowercase email))</c>
/// and the page passes it to <c>bp('identify', …)</c>, the way chat widgets verify their users.
/// </summary>
public static class IdentifySignature
{
    public const string SecretPrefix = "bpis_";

    public static string NewSecret() => SecretPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string email) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));

    /// <summary>Whether <paramref name="signature"/> signs <paramref name="email"/>, compared in constant time.</summary>
    public static bool Verifies(string secret, string email, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length != 64)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, email));
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}

/// <summary>Keeps sites' identify secrets encrypted with the app's key ring: an HMAC key must be readable to verify with.</summary>
public sealed class IdentifySecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("BehaviorPoints.Sites.IdentifySecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
