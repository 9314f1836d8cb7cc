using BehaviorPoints.Core.Fit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BehaviorPoints.Core.Persistence.Configurations;

internal sealed class FitModelVersionConfiguration : IEntityTypeConfiguration<FitModelVersion>
{
    public void Configure(EntityTypeBuilder<FitModelVersion> version)
    {
        version.HasIndex(v => v.Version).IsUnique();
        version.Property(v => v.PublishedBy).HasMaxLength(256);
    }
}

internal sealed class DailyLevelEntriesConfiguration : IEntityTypeConfiguration<Dashboard.DailyLevelEntries>
{
    public void Configure(EntityTypeBuilder<Dashboard.DailyLevelEntries> daily)
    {
        daily.HasKey(d => new { d.Day, d.TeamId, d.Level });
        daily.Property(d => d.Level).HasMaxLength(40);
    }
}

internal sealed class DailyPointsConfiguration : IEntityTypeConfiguration<Dashboard.DailyPoints>
{
    public void Configure(EntityTypeBuilder<Dashboard.DailyPoints> daily)
    {
        // Day first: the dashboard reads a date range.
        daily.HasKey(d => new { d.Day, d.TeamId, d.BehaviorType, d.RuleName });
        daily.Property(d => d.BehaviorType).HasMaxLength(100);
        daily.Property(d => d.RuleName).HasMaxLength(100);
    }
}
