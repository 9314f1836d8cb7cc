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
            throw new ValidationFailedException("code", "Code '{0}' must be 1 to 100 lower-case letters, digits, '.' or '_', starting with a letter (for example trial.start).", type.Code);
        }
        var errors = new List<FieldError>();
        Text("label", type.Label, 100);
        Text("channel", type.Channel, 60);
        var names = type.Attributes.Split(',', StringSplitOptions.TrimEntries);
        if (type.Attributes.Length > 0)
        {
            if (names.Length > EventReader.MaxAttributes)
            {
                errors.Add(FieldError.Of("attributes", "A behavior type lists at most {0} attributes; this one has {1}.", EventReader.MaxAttributes, names.Length));
            }
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in names)
            {
                if (name.Length is 0 or > EventReader.MaxAttributeNameLength || UserText.HasControlCharacters(name))
                {
                    errors.Add(FieldError.Of("attributes", "Attribute names are 1 to {0} characters without commas or control characters, as in events; '{1}' is not.", EventReader.MaxAttributeNameLength, Shorten(name)));
                }
                else if (!seen.Add(name))
                {
                    errors.Add(FieldError.Of("attributes", "Attribute '{0}' is listed more than once (names ignore case).", name));
                }
            }
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        if (catalog.Contains(type.Code))
        {
            throw new ValidationFailedException("code", "Behavior type '{0}' already exists.", type.Code);
        }

        void Text(string field, string value, int limit)
        {
            if (value.Length > limit)
            {
                errors.Add(FieldError.Of(field, "The {0} is {1} characters long; the limit is {2}.", field, value.Length, limit));
            }
            else if (UserText.HasControlCharacters(value))
            {
                errors.Add(FieldError.Of(field, "The {0} must not contain control characters.", field));
            }
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.CustomBehaviorTypes.Add(type);
        await db.SaveChangesAsync(cancellationToken);
        _catalog = null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

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
