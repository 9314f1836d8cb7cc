namespace BehaviorPoints.Core.Domain;

/// <summary>Who did a behavior when no lead id is given: any of email, phone or the marketing system's external id.</summary>
public sealed record ContactIdentity(string? Email, string? Phone, string? ExternalId)
{
    public bool IsEmpty => Email is null && Phone is null && ExternalId is null;

    /// <summary>Builds an identity with each part normalized the way leads store it.</summary>
    public static ContactIdentity Normalized(string? email, string? phone, string? externalId) =>
        new(NormalizeEmail(email), NormalizePhone(phone), string.IsNullOrWhiteSpace(externalId) ? null : externalId.Trim());

    public static string? NormalizeEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    /// <summary>Digits only, keeping a leading '+': "+86 (138) 0013-8000" and "+8613800138000" are one phone.</summary>
    public static string? NormalizePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }
        var trimmed = phone.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0)
        {
            return null;
        }
        return trimmed.StartsWith('+') ? "+" + digits : digits;
    }
}
