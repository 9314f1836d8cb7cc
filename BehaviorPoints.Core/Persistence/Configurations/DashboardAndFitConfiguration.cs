using BehaviorPoints.Core.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence.Configurations;

internal sealed class FitModelVersionConfiguration : IEntityTypeConfiguration<FitModelVersion>
{
    public void Configure(EntityTypeBuilder<FitModelVersion> version)
    {
        version.HasIndex(v => v.Version).IsUnique();
        version.Property(v => v.PublishedBy).HasMaxLength(256);
    }
}

internal sealed class DailyLevelEntriesConfiguration : IEntityTypeConfiguration<DailyLevelEntries>
{
    public void Configure(EntityTypeBuilder<DailyLevelEntries> daily)
    {
        daily.HasKey(d => new { d.Day, d.TeamId, d.Level });
        daily.Property(d => d.Level).HasMaxLength(40);
    }
}

internal sealed class LeadCountConfiguration : IEntityTypeConfiguration<LeadCount>
{
    public void Configure(EntityTypeBuilder<LeadCount> count)
    {
        count.ToTable("LeadCounts");
        count.HasKey(c => new { c.TeamId, c.IntentLevel, c.FitLevel, c.Status });
        count.Property(c => c.IntentLevel).HasMaxLength(40);
        count.Property(c => c.FitLevel).HasMaxLength(16);
        count.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class DailyPointsConfiguration : IEntityTypeConfiguration<DailyPoints>
{
    public void Configure(EntityTypeBuilder<DailyPoints> daily)
    {
        // Day first: the dashboard reads a date range.
        daily.HasKey(d => new { d.Day, d.TeamId, d.BehaviorType, d.RuleName });
        daily.Property(d => d.BehaviorType).HasMaxLength(100);
        daily.Property(d => d.RuleName).HasMaxLength(100);
    }
}

internal sealed class ConversionModelVersionConfiguration : IEntityTypeConfiguration<ConversionModelVersion>
{
    public void Configure(EntityTypeBuilder<ConversionModelVersion> version)
    {
        version.HasIndex(v => v.Version).IsUnique();
        version.Property(v => v.TrainedBy).HasMaxLength(256);
        version.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class JobCursorConfiguration : IEntityTypeConfiguration<JobCursor>
{
    public void Configure(EntityTypeBuilder<JobCursor> cursor)
    {
        cursor.HasKey(c => c.Job);
        cursor.Property(c => c.Job).HasMaxLength(40);
    }
}
