using BehaviorPoints.Core.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence.Configurations;

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> site)
    {
        site.Property(s => s.Name).HasMaxLength(100).IsRequired();
        site.Property(s => s.Origins).HasMaxLength(4000).IsRequired();
        site.Property(s => s.Consent).HasConversion<string>().HasMaxLength(16);
        site.Property(s => s.Identify).HasConversion<string>().HasMaxLength(16);
        site.Property(s => s.PublishableKey).HasMaxLength(64).IsRequired();
        site.Property(s => s.ProtectedIdentifySecret).HasMaxLength(1000);
        site.Ignore(s => s.OriginList);
        site.HasIndex(s => s.PublishableKey).IsUnique();
        site.HasIndex(s => s.Name).IsUnique();
        site.HasOne(s => s.Team).WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class VisitorConfiguration : IEntityTypeConfiguration<Visitor>
{
    public void Configure(EntityTypeBuilder<Visitor> visitor)
    {
        visitor.Property(v => v.Key).HasMaxLength(64).IsRequired();
        visitor.Property(v => v.Email).HasMaxLength(320);
        visitor.Property(v => v.Name).HasMaxLength(200);
        visitor.Property(v => v.HeldReason).HasMaxLength(200);
        visitor.HasIndex(v => new { v.SiteId, v.Key }).IsUnique();
        visitor.HasIndex(v => new { v.SiteId, v.LastSeen });
        visitor.HasIndex(v => v.LeadId);
        visitor.HasOne(v => v.Site).WithMany().HasForeignKey(v => v.SiteId).OnDelete(DeleteBehavior.Cascade);
        visitor.HasOne<Lead>().WithMany().HasForeignKey(v => v.LeadId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class SegmentMappingConfiguration : IEntityTypeConfiguration<SegmentMapping>
{
    public void Configure(EntityTypeBuilder<SegmentMapping> mapping)
    {
        mapping.HasKey(m => m.Event);
        mapping.Property(m => m.Event).HasMaxLength(200);
        mapping.Property(m => m.Behavior).HasMaxLength(100).IsRequired();
    }
}
