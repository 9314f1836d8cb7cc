using BehaviorPoints.Core.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> endpoint)
    {
        endpoint.Property(e => e.Url).HasMaxLength(2000);
        endpoint.Property(e => e.Events).HasMaxLength(1000);
        endpoint.Property(e => e.Description).HasMaxLength(200);
        endpoint.Property(e => e.DisabledReason).HasMaxLength(500);
        endpoint.Property(e => e.DisabledReasonSaid).HasMaxLength(Said.MaxJsonLength);
        endpoint.Property(e => e.ProtectedSecret).HasMaxLength(2000);
        endpoint.Property(e => e.ProtectedPreviousSecret).HasMaxLength(2000);
        endpoint.Property(e => e.CreatedBy).HasMaxLength(256);
    }
}

internal sealed class WebhookMessageConfiguration : IEntityTypeConfiguration<WebhookMessage>
{
    public void Configure(EntityTypeBuilder<WebhookMessage> message)
    {
        message.Property(m => m.MessageId).HasMaxLength(64);
        message.Property(m => m.EventType).HasMaxLength(64);
        message.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        // No key to the lead: a message about a lead deleted since is still delivered.
        message.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(m => m.EndpointId).OnDelete(DeleteBehavior.Cascade);
        message.HasIndex(m => m.MessageId).IsUnique();
        // The worker: an endpoint's due messages in order; the per-lead order check; the log, newest first.
        message.HasIndex(m => new { m.EndpointId, m.Status, m.NextAttemptAt });
        message.HasIndex(m => new { m.EndpointId, m.LeadId, m.Status, m.Id });
        message.HasIndex(m => new { m.EndpointId, m.Id });
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> attempt)
    {
        attempt.Property(a => a.Response).HasMaxLength(1000);
        attempt.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(a => a.EndpointId).OnDelete(DeleteBehavior.Cascade);
        attempt.HasOne(a => a.Message).WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
        attempt.HasIndex(a => new { a.EndpointId, a.At });
        attempt.HasIndex(a => a.MessageId);
    }
}
