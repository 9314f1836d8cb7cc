using BehaviorPoints.Core.Composition;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.PostgreSql;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BehaviorPoints.Tests.Instances;

/// <summary>
/// The change feed between app instances on PostgreSQL: a change whose NOTIFY nobody heard (the listening connection
/// dropped) still reaches the other instance's open pages, read from the change rows after it reconnects.
/// </summary>
[Trait("Category", "PostgreSqlOnly")]
public sealed class ChangeFeedTests : IAsyncLifetime
{
    private const string ListenerName = "bp-change-listener";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        Assert.True(TestDatabase.OnPostgres, "these tests need BP_TEST_POSTGRES (test.sh's PostgreSQL pass)");
        _database = await TestDatabase.CreateAsync("bp-feed");
        _services = new ServiceCollection().AddLogging().AddBehaviorPointsCore(_database.Settings).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_change_committed_while_the_listener_is_disconnected_reaches_its_pages_after_the_reconnect()
    {
        var writer = new PostgreSqlChangeFeed(_database.Settings.ConnectionString, new AppInstance());
        var listener = new PostgreSqlChangeFeed($"{_database.Settings.ConnectionString};Application Name={ListenerName}", new AppInstance());
        var notifications = new ScoreNotifications(listener);
        var live = Received(notifications, leadId: 41);
        var missed = Received(notifications, leadId: 42);
        using var stop = new CancellationTokenSource();
        var listening = listener.ListenAsync(notifications, new UserSignals(listener), stop.Token);
        try
        {
            // Heard live: the listener is connected and has read up to this change.
            await Poll.UntilAsync(async () => await ListenerConnectionsAsync() == 1, "the listener to connect");
            await RecordAsync(writer, new LeadScoreChanged(41, 5, "Low"));
            Assert.Equal(5, (await live.WaitAsync(s_wait)).Total);

            // The connection drops and a change commits before the listener is back: its NOTIFY reaches nobody.
            await TerminateListenerAsync();
            await RecordAsync(writer, new LeadScoreChanged(42, 12, "Medium"));

            var caughtUp = await missed.WaitAsync(s_wait);
            Assert.Equal((42L, 12L, "Medium"), (caughtUp.LeadId, caughtUp.Total, caughtUp.IntentLevel));
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listening);
        }
    }

    private static Task<LeadScoreChanged> Received(ScoreNotifications notifications, long leadId)
    {
        var received = new TaskCompletionSource<LeadScoreChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        notifications.Subscribe(leadId, change =>
        {
            received.TrySetResult(change);
            return Task.CompletedTask;
        });
        return received.Task;
    }

    private async Task RecordAsync(PostgreSqlChangeFeed feed, LeadScoreChanged change)
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await feed.RecordAsync(db, [change], CancellationToken.None);
        await transaction.CommitAsync();
    }

    private async Task<long> ListenerConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(_database.Settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", connection);
        command.Parameters.AddWithValue("name", ListenerName);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task TerminateListenerAsync()
    {
        await using var connection = new NpgsqlConnection(_database.Settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name", connection);
        command.Parameters.AddWithValue("name", ListenerName);
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }
}
