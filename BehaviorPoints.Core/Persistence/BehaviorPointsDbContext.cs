using BehaviorPoints.Core.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence;

/// <summary>
/// The one database: leads, the score ledger, rule sets, API keys, the Identity tables and the Data Protection key
/// ring. Each database provider derives its own context from it (<c>SqliteDbContext</c>, <c>PostgreSqlDbContext</c>),
/// so each provider's migrations name their own context; the rest of Core knows only this one.
/// </summary>
public abstract class BehaviorPointsDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<StoredBehavior> Behaviors => Set<StoredBehavior>();
    public DbSet<CustomBehaviorType> CustomBehaviorTypes => Set<CustomBehaviorType>();
    public DbSet<ScoreEntry> ScoreEntries => Set<ScoreEntry>();
    public DbSet<LimitCounter> LimitCounters => Set<LimitCounter>();
    public DbSet<PendingDecay> PendingDecays => Set<PendingDecay>();
    public DbSet<SupersededScoreEntry> SupersededScoreEntries => Set<SupersededScoreEntry>();
    public DbSet<LeadJobRun> LeadJobRuns => Set<LeadJobRun>();
    public DbSet<IntentLevelChange> IntentLevelChanges => Set<IntentLevelChange>();
    public DbSet<LeadCategoryScore> LeadCategoryScores => Set<LeadCategoryScore>();
    public DbSet<StageChange> StageChanges => Set<StageChange>();
    public DbSet<RuleSet> RuleSets => Set<RuleSet>();
    public DbSet<RuleSetVersion> RuleSetVersions => Set<RuleSetVersion>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<FitModel> FitModels => Set<FitModel>();
    public DbSet<FitModelVersion> FitModelVersions => Set<FitModelVersion>();
    public DbSet<DailyPoints> DailyPoints => Set<DailyPoints>();
    public DbSet<DailyLevelEntries> DailyLevelEntries => Set<DailyLevelEntries>();
    public DbSet<LeadCount> LeadCounts => Set<LeadCount>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();
    public DbSet<JobCursor> JobCursors => Set<JobCursor>();
    public DbSet<ConversionModelVersion> ConversionModelVersions => Set<ConversionModelVersion>();
    public DbSet<RoutingRuleSet> RoutingRuleSets => Set<RoutingRuleSet>();
    public DbSet<RoutingRotation> RoutingRotations => Set<RoutingRotation>();
    public DbSet<RoutingFiring> RoutingFirings => Set<RoutingFiring>();
    public DbSet<FollowUpTask> FollowUpTasks => Set<FollowUpTask>();
    public DbSet<LeadActivity> LeadActivities => Set<LeadActivity>();
    public DbSet<UserNotification> UserNotifications => Set<UserNotification>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookMessage> WebhookMessages => Set<WebhookMessage>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<Visitor> Visitors => Set<Visitor>();
    public DbSet<SegmentMapping> SegmentMappings => Set<SegmentMapping>();

    /// <summary>The Data Protection key ring, shared by every app instance (sign-in cookies, antiforgery).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(BehaviorPointsDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite keeps no time zone: every DateTime is written and read back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
