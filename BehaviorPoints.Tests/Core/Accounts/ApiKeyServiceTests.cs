using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Tests.Core.Accounts;

public sealed class ApiKeyServiceTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_key_revoked_by_another_instance_is_refused_once_its_check_is_older_than_the_verification_window()
    {
        // Another instance has its own service; both share the database.
        var here = new ApiKeyService(_database.Get<IDbContextFactory<BehaviorPoints.Core.Persistence.BehaviorPointsDbContext>>(), _database.Clock);
        var there = new ApiKeyService(_database.Get<IDbContextFactory<BehaviorPoints.Core.Persistence.BehaviorPointsDbContext>>(), _database.Clock);
        var key = await here.CreateAsync("Shared", ApiKeyScope.Ingest);
        Assert.NotNull(await here.AuthenticateAsync(key.Key));

        await there.RevokeAsync(key.Id);

        _database.Clock.Advance(ApiKeyService.VerifiedFor - TimeSpan.FromSeconds(1));
        Assert.NotNull(await here.AuthenticateAsync(key.Key)); // Remembered, without a look-up.
        _database.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await here.AuthenticateAsync(key.Key));
        Assert.Null(here.KnownKey(key.Key)); // And it no longer has a bucket of its own.
    }

    [Fact]
    public async Task A_key_keeps_its_bucket_for_an_hour_but_made_up_keys_never_get_one()
    {
        var keys = _database.Get<ApiKeyService>();
        var key = await keys.CreateAsync("Sender", ApiKeyScope.Ingest);
        Assert.Null(keys.KnownKey(key.Key)); // Not before it was checked once.
        await keys.AuthenticateAsync(key.Key);
        Assert.Null(await keys.AuthenticateAsync("bp_made-up"));

        _database.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(keys.KnownKey(key.Key));
        Assert.Null(keys.KnownKey("bp_made-up"));
        _database.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(keys.KnownKey(key.Key));
    }
}
