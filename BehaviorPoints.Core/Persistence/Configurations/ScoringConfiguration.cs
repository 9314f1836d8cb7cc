using BehaviorPoints.Core.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence.Configurations;

internal sealed class ScoreEntryConfiguration : IEntityTypeConfiguration<ScoreEntry>
{
    public void Configure(EntityTypeBuilder<ScoreEntry> entry)
    {
        entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        entry.Property(e => e.RuleName).HasMaxLength(100).IsRequired();
        entry.Property(e => e.EventId).HasMaxLength(128);
        entry.Property(e => e.BehaviorType).HasMaxLength(100);
        entry.Property(e => e.Reason).HasMaxLength(1000);
        entry.Property(e => e.CreatedBy).HasMaxLength(256);
        entry.Property(e => e.Category).HasMaxLength(60);
        entry.HasOne<Lead>().WithMany().HasForeignKey(e => e.LeadId).OnDelete(DeleteBehavior.Cascade);
        // A lead's entries newest first by when they happened, ties by id, paged by (time, id) (keyset).
        entry.HasIndex(e => new { e.LeadId, e.OccurredAt, e.Id });
        entry.HasOne(e => e.Behavior).WithMany().HasForeignKey(e => e.BehaviorId).OnDelete(DeleteBehavior.Restrict);
        entry.HasIndex(e => e.BehaviorId);
        // A decay entry points at the entry it fades by id alone: a foreign key on ScoreEntries would make SQLite rebuild
        // the whole table when the column comes (a long copy, outside a transaction, on a big ledger). A rule entry's
        // decays are found by it (its value today in the drawer), each step once.
        entry.Ignore(e => e.Decays);
        entry.HasIndex(e => new { e.DecaysEntryId, e.DecayStep }).IsUnique().HasFilter("\"DecaysEntryId\" IS NOT NULL");
    }
}

internal sealed class PendingDecayConfiguration : IEntityTypeConfiguration<PendingDecay>
{
    public void Configure(EntityTypeBuilder<PendingDecay> pending)
    {
        pending.HasKey(p => new { p.EntryId, p.Step });
        pending.HasOne(p => p.Entry).WithMany().HasForeignKey(p => p.EntryId).OnDelete(DeleteBehavior.Cascade);
        // The worker takes the steps in due order; a re-score drops a range of leads' steps.
        pending.HasIndex(p => p.DueAt);
        pending.HasIndex(p => p.LeadId);
    }
}

internal sealed class SupersededScoreEntryConfiguration : IEntityTypeConfiguration<SupersededScoreEntry>
{
    public void Configure(EntityTypeBuilder<SupersededScoreEntry> entry)
    {
        entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        entry.Property(e => e.RuleName).HasMaxLength(100).IsRequired();
        entry.Property(e => e.EventId).HasMaxLength(128);
        entry.Property(e => e.BehaviorType).HasMaxLength(100);
        entry.Property(e => e.Category).HasMaxLength(60);
        // The drawer's "replaced entries", newest first per lead.
        entry.HasIndex(e => new { e.LeadId, e.Id });
    }
}

internal sealed class LeadJobRunConfiguration : IEntityTypeConfiguration<LeadJobRun>
{
    public void Configure(EntityTypeBuilder<LeadJobRun> run)
    {
        run.Property(r => r.Job).HasMaxLength(32);
        run.Property(r => r.StartedBy).HasMaxLength(256);
        run.Property(r => r.Argument).HasMaxLength(100);
        // A job's unfinished run, found at start.
        run.HasIndex(r => new { r.Job, r.FinishedAt });
    }
}

internal sealed class LimitCounterConfiguration : IEntityTypeConfiguration<LimitCounter>
{
    public void Configure(EntityTypeBuilder<LimitCounter> counter)
    {
        counter.HasKey(c => new { c.LeadId, c.RuleName, c.Period });
        counter.Property(c => c.RuleName).HasMaxLength(100);
        counter.Property(c => c.Period).HasMaxLength(16);
    }
}

internal sealed class IntentLevelChangeConfiguration : IEntityTypeConfiguration<IntentLevelChange>
{
    public void Configure(EntityTypeBuilder<IntentLevelChange> change)
    {
        // The trigger that counts entries per day and level (see DailyLevelEntries); EF must know it is there.
        change.ToTable(table => table.HasTrigger(DailyLevelEntries.TriggerName));
        change.Property(c => c.From).HasMaxLength(40);
        change.Property(c => c.To).HasMaxLength(40);
        // The dashboard's trend: entries into each level by day, for everyone or one team.
        change.HasIndex(c => new { c.ChangedAt, c.To });
        change.HasIndex(c => new { c.TeamId, c.ChangedAt, c.To });
        change.HasIndex(c => c.LeadId);
    }
}

internal sealed class RuleSetConfiguration : IEntityTypeConfiguration<RuleSet>
{
    public void Configure(EntityTypeBuilder<RuleSet> ruleSet)
    {
        ruleSet.Property(r => r.ScoringObject).HasMaxLength(40);
        ruleSet.Property(r => r.ApiName).HasMaxLength(80);
        ruleSet.HasIndex(r => r.ScoringObject).IsUnique();
        ruleSet.HasIndex(r => r.ApiName).IsUnique();
        ruleSet.HasMany(r => r.Versions).WithOne().HasForeignKey(v => v.RuleSetId);
    }
}

internal sealed class RuleSetVersionConfiguration : IEntityTypeConfiguration<RuleSetVersion>
{
    public void Configure(EntityTypeBuilder<RuleSetVersion> version)
    {
        version.HasIndex(v => new { v.RuleSetId, v.Version }).IsUnique();
        version.Property(v => v.PublishedBy).HasMaxLength(256);
    }
}

internal sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> lease)
    {
        lease.HasKey(l => l.Job);
        lease.Property(l => l.Job).HasMaxLength(32);
        lease.Property(l => l.Holder).HasMaxLength(200);
    }
}

internal sealed class LeadCategoryScoreConfiguration : IEntityTypeConfiguration<LeadCategoryScore>
{
    public void Configure(EntityTypeBuilder<LeadCategoryScore> score)
    {
        score.HasKey(s => new { s.LeadId, s.Category });
        score.Property(s => s.Category).HasMaxLength(60);
        score.HasOne<Lead>().WithMany().HasForeignKey(s => s.LeadId).OnDelete(DeleteBehavior.Cascade);
        // The lead list's "category score at least N", highest first, and the dashboard's leads above a category's top band.
        score.HasIndex(s => new { s.Category, s.Points });
    }
}

internal sealed class StageChangeConfiguration : IEntityTypeConfiguration<StageChange>
{
    public void Configure(EntityTypeBuilder<StageChange> change)
    {
        change.Property(c => c.From).HasMaxLength(60);
        change.Property(c => c.To).HasMaxLength(60);
        change.Property(c => c.Reason).HasConversion<string>().HasMaxLength(16);
        change.Property(c => c.ChangedBy).HasMaxLength(256);
        change.HasOne<Lead>().WithMany().HasForeignKey(c => c.LeadId).OnDelete(DeleteBehavior.Cascade);
        // A lead's path; the dashboard's flow between stages per week.
        change.HasIndex(c => new { c.LeadId, c.Visit });
        change.HasIndex(c => new { c.ChangedAt, c.TeamId });
    }
}
