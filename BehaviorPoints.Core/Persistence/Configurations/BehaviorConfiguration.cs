using BehaviorPoints.Core.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence.Configurations;

internal sealed class StoredBehaviorConfiguration : IEntityTypeConfiguration<StoredBehavior>
{
    public void Configure(EntityTypeBuilder<StoredBehavior> behavior)
    {
        behavior.Property(b => b.EventId).HasMaxLength(128).IsRequired();
        behavior.Property(b => b.Type).HasMaxLength(100).IsRequired();
        behavior.Property(b => b.ContactEmail).HasMaxLength(320);
        behavior.Property(b => b.ContactPhone).HasMaxLength(40);
        behavior.Property(b => b.ContactExternalId).HasMaxLength(128);
        behavior.Property(b => b.Outcome).HasConversion<string>().HasMaxLength(16);

        // The idempotency key: the same event id is stored, and so scored, once.
        behavior.HasIndex(b => b.EventId).IsUnique();
        behavior.HasIndex(b => new { b.LeadId, b.OccurredAt });
        // Unlinked behaviors waiting for a lead with their identity.
        behavior.HasIndex(b => b.ContactEmail).HasFilter("\"LeadId\" IS NULL");
        behavior.HasIndex(b => b.ContactPhone).HasFilter("\"LeadId\" IS NULL");
        behavior.HasIndex(b => b.ContactExternalId).HasFilter("\"LeadId\" IS NULL");
        // A website visitor's behaviors, in time order (its page, its linking when it is identified). No foreign key:
        // adding one to this, the largest table, would copy it whole on SQLite; a visitor is never deleted once it sent one.
        behavior.HasIndex(b => new { b.VisitorId, b.OccurredAt }).HasFilter("\"VisitorId\" IS NOT NULL");
    }
}

internal sealed class CustomBehaviorTypeConfiguration : IEntityTypeConfiguration<CustomBehaviorType>
{
    public void Configure(EntityTypeBuilder<CustomBehaviorType> type)
    {
        type.HasKey(t => t.Code);
        type.Property(t => t.Code).HasMaxLength(100);
        type.Property(t => t.Label).HasMaxLength(100);
        type.Property(t => t.Channel).HasMaxLength(60);
        type.Property(t => t.Attributes).HasMaxLength(2000);
    }
}
