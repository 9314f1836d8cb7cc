using System.Text.RegularExpressions;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Behaviors;

/// <summary>The behavior catalog as stored: built-ins plus custom types, cached until a custom type is added.</summary>
public sealed partial class BehaviorTypes(IDbContextFactory<BehaviorPointsDbContext> dbFactory)
{
    private volatile BehaviorCatalog? _catalog;

    public async Task<BehaviorCatalog> CatalogAsync(CancellationToken cancellationToken = default)
    {
        if (_catalog is { } cached)
        {
            return cached;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var custom = await db.CustomBehaviorTypes.AsNoTracking().ToListAsync(cancellationToken);
        var catalog = new BehaviorCatalog(custom.Select(ToBehaviorType));
        _catalog = catalog;
        return catalog;
    }

    /// <summary>Adds a custom behavior type; its code must not clash with a built-in or another custom type.</summary>
    public async Task AddAsync(CustomBehaviorType type, CancellationToken cancellationToken = default)
    {
        var catalog = await CatalogAsync(cancellationToken);
        if (!CodePattern().IsMatch(type.Code))
        {
            throw new ValidationFailedException("code", $"Code '{type.Code}' must be 1 to 100 lower-case letters, digits, '.' or '_', starting with a letter (for example trial.start).");
        }
        if (type.Label.Length > 100 || type.Channel.Length > 60)
        {
            throw new ValidationFailedException("label", "Labels are at most 100 characters and channels at most 60.");
        }
        if (catalog.Contains(type.Code))
        {
            throw new ValidationFailedException("code", $"Behavior type '{type.Code}' already exists.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.CustomBehaviorTypes.Add(type);
        await db.SaveChangesAsync(cancellationToken);
        _catalog = null;
    }

    [GeneratedRegex("^[a-z][a-z0-9_.]{0,99}$")]
    private static partial Regex CodePattern();

    private static BehaviorType ToBehaviorType(CustomBehaviorType t) => new(
        t.Code,
        t.Label,
        t.Channel,
        t.Attributes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => new BehaviorAttribute(a, a))
            .ToList(),
        IsBuiltIn: false);
}
