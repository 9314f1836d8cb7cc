namespace BehaviorPoints.Core.Domain;

/// <summary>What an API key may do: <c>ingest</c> sends behaviors; <c>admin</c> also manages leads and the rule set.</summary>
public enum ApiKeyScope
{
    Ingest,
    Admin,
}

/// <summary>A key the marketing system authenticates with. Only a hash of the key is stored; the key is shown once.</summary>
public sealed class ApiKey
{
    public int Id { get; private set; }
    public string Name { get; set; } = "";

    /// <summary>The first characters of the key, so people can tell keys apart without seeing them.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the key, hex.</summary>
    public string KeyHash { get; set; } = "";
    public ApiKeyScope Scope { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
