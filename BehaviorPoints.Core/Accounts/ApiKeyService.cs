using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Accounts;

/// <summary>A key just created: <see cref="Key"/> is shown once and never stored.</summary>
public sealed record CreatedApiKey(int Id, string Name, ApiKeyScope Scope, string Key);

/// <summary>An API key as listed to administrators (never the key itself).</summary>
public sealed record ApiKeyInfo(int Id, string Name, string Prefix, ApiKeyScope Scope, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>
/// Creates, checks and revokes API keys. Keys are 256 random bits; only their SHA-256 is stored. A key found valid is
/// remembered by its hash: requests within <see cref="VerifiedFor"/> of the last database check cost no look-up, and
/// for <see cref="KnownFor"/> the rate limiter can tell it from a made-up key before anything is looked up (which only
/// picks its bucket; access is checked against the database again after <see cref="VerifiedFor"/>). Revoking a key
/// forgets it at once on this instance; other instances refuse it within <see cref="VerifiedFor"/>.
/// </summary>
public sealed class ApiKeyService(IDbContextFactory<BehaviorPointsDbContext> dbFactory, TimeProvider clock)
{
    private const string KeyPrefix = "bp_";

    /// <summary>How long a key found valid is trusted without asking the database again.</summary>
    public static readonly TimeSpan VerifiedFor = TimeSpan.FromSeconds(10);

    /// <summary>How long a key once found valid keeps its own rate-limit bucket.</summary>
    public static readonly TimeSpan KnownFor = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, (ApiKeyInfo Key, DateTimeOffset CheckedAt)> _verified = new(StringComparer.Ordinal);

    // Writing last-used on every request would make each API call a write; once a minute is precise enough to read.
    private static readonly TimeSpan s_lastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<CreatedApiKey> CreateAsync(string name, ApiKeyScope scope, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100)
        {
            throw new ValidationFailedException("name", "A key needs a name of 1 to 100 characters.");
        }
        if (!Enum.IsDefined(scope))
        {
            throw new ValidationFailedException("scope", "Scope must be ingest or admin.");
        }

        var key = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var entity = new ApiKey
        {
            Name = name.Trim(),
            Prefix = key[..10],
            KeyHash = Hash(key),
            Scope = scope,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(entity.Id, entity.Name, scope, key);
    }

    /// <summary>The key's record when it exists and is not revoked; null otherwise.</summary>
    public async Task<ApiKeyInfo?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(presentedKey) || presentedKey.Length > 200)
        {
            return null;
        }
        var hash = Hash(presentedKey);
        if (Remembered(hash, VerifiedFor) is { } known)
        {
            return known;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null, cancellationToken);
        if (key is null)
        {
            _verified.TryRemove(hash, out _); // Revoked on another instance.
            return null;
        }
        var now = clock.GetUtcNow();
        if (key.LastUsedAt is null || now.UtcDateTime - key.LastUsedAt > s_lastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now.UtcDateTime), cancellationToken);
        }
        var info = ToInfo(key);
        _verified[hash] = (info, now);
        return info;
    }

    /// <summary>
    /// The key, when it was found valid within <see cref="KnownFor"/>; null for a key never found valid, revoked here,
    /// or not seen lately. Costs a hash, never a database look-up: the rate limiter asks this before authentication.
    /// </summary>
    public ApiKeyInfo? KnownKey(string presentedKey) =>
        string.IsNullOrEmpty(presentedKey) || presentedKey.Length > 200 ? null : Remembered(Hash(presentedKey), KnownFor);

    private ApiKeyInfo? Remembered(string hash, TimeSpan within)
    {
        if (!_verified.TryGetValue(hash, out var entry))
        {
            return null;
        }
        var age = clock.GetUtcNow() - entry.CheckedAt;
        if (age < within)
        {
            return entry.Key;
        }
        if (age >= KnownFor)
        {
            _verified.TryRemove(KeyValuePair.Create(hash, entry));
        }
        return null;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.Id).ToListAsync(cancellationToken);
        return keys.Select(ToInfo).ToList();
    }

    /// <summary>Revokes a key; the next request with it is refused.</summary>
    public async Task<bool> RevokeAsync(int id, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var revoked = await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken) > 0;
        foreach (var (hash, entry) in _verified)
        {
            if (entry.Key.Id == id)
            {
                _verified.TryRemove(hash, out _);
            }
        }
        return revoked;
    }

    internal static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiKeyInfo ToInfo(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.Scope, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
