using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Core.Persistence;

/// <summary>
/// Enums are stored by name in columns of a fixed length. SQLite ignores the length and PostgreSQL refuses a longer
/// value, so a new enum value too long for its column passes every SQLite test and fails in production: checked here.
/// </summary>
public sealed class EnumColumnTests
{
    [Fact]
    public async Task Every_enum_value_fits_the_column_it_is_stored_in()
    {
        await using var database = await CoreDatabase.CreateAsync();
        await using var db = await database.NewContextAsync();

        var tooLong = db.Model.GetEntityTypes()
            .SelectMany(entity => entity.GetProperties().Select(property => (entity, property)))
            .Where(p => (Nullable.GetUnderlyingType(p.property.ClrType) ?? p.property.ClrType).IsEnum && p.property.GetMaxLength() is not null)
            .SelectMany(p => Enum.GetNames(Nullable.GetUnderlyingType(p.property.ClrType) ?? p.property.ClrType)
                .Where(name => name.Length > p.property.GetMaxLength())
                .Select(name => $"{p.entity.ClrType.Name}.{p.property.Name}: {name} ({name.Length} > {p.property.GetMaxLength()})"))
            .ToList();

        Assert.True(db.Model.GetEntityTypes().Count() > 20);
        Assert.Empty(tooLong);
    }
}
