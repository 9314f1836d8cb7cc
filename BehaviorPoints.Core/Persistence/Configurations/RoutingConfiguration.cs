using BehaviorPoints.Core.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence.Configurations;

internal sealed class RoutingRuleSetConfiguration : IEntityTypeConfiguration<RoutingRuleSet>
{
    public void Configure(EntityTypeBuilder<RoutingRuleSet> set)
    {
        set.Property(s => s.Id).ValueGeneratedNever();
        set.Property(s => s.UpdatedBy).HasMaxLength(256);
    }
}

internal sealed class RoutingRotationConfiguration : IEntityTypeConfiguration<RoutingRotation>
{
    public void Configure(EntityTypeBuilder<RoutingRotation> rotation)
    {
        rotation.HasKey(r => r.TeamId);
        rotation.Property(r => r.TeamId).ValueGeneratedNever();
        rotation.HasOne<Team>().WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.Cascade);
        rotation.Property(r => r.LastUserId).HasMaxLength(450);
    }
}

internal sealed class RoutingFiringConfiguration : IEntityTypeConfiguration<RoutingFiring>
{
    public void Configure(EntityTypeBuilder<RoutingFiring> firing)
    {
        firing.HasKey(f => new { f.LeadId, f.RuleName });
        firing.Property(f => f.RuleName).HasMaxLength(100);
        firing.HasOne<Lead>().WithMany().HasForeignKey(f => f.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FollowUpTaskConfiguration : IEntityTypeConfiguration<FollowUpTask>
{
    public void Configure(EntityTypeBuilder<FollowUpTask> task)
    {
        task.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        task.Property(t => t.Outcome).HasConversion<string>().HasMaxLength(16);
        task.Property(t => t.RuleName).HasMaxLength(100);
        task.Property(t => t.Note).HasMaxLength(2000);
        task.Property(t => t.CompletedBy).HasMaxLength(256);
        task.HasOne<Lead>().WithMany().HasForeignKey(t => t.LeadId).OnDelete(DeleteBehavior.Cascade);
        task.HasOne(t => t.Assignee).WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.Cascade);
        task.HasOne<Team>().WithMany().HasForeignKey(t => t.RotationTeamId).OnDelete(DeleteBehavior.SetNull);
        // My tasks and the capacity count: a rep's tasks by status; the reclaim worker: open tasks by when they fall due.
        task.HasIndex(t => new { t.AssigneeId, t.Status, t.DueAt });
        task.HasIndex(t => new { t.Status, t.DueAt });
        task.HasIndex(t => new { t.Status, t.ReclaimAt });
        task.HasIndex(t => t.LeadId);
    }
}

internal sealed class LeadActivityConfiguration : IEntityTypeConfiguration<LeadActivity>
{
    public void Configure(EntityTypeBuilder<LeadActivity> activity)
    {
        activity.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        activity.Property(a => a.UserId).HasMaxLength(450);
        activity.Property(a => a.RuleName).HasMaxLength(100);
        activity.Property(a => a.Reason).HasMaxLength(1000);
        activity.Property(a => a.ReasonSaid).HasMaxLength(Said.MaxJsonLength);
        activity.HasOne<Lead>().WithMany().HasForeignKey(a => a.LeadId).OnDelete(DeleteBehavior.Cascade);
        activity.HasIndex(a => new { a.LeadId, a.At });
        // The dashboard's reclaims per week.
        activity.HasIndex(a => new { a.Kind, a.At });
    }
}

internal sealed class UserNotificationConfiguration : IEntityTypeConfiguration<UserNotification>
{
    public void Configure(EntityTypeBuilder<UserNotification> notification)
    {
        notification.Property(n => n.Kind).HasConversion<string>().HasMaxLength(24);
        notification.Property(n => n.Text).HasMaxLength(1000);
        notification.Property(n => n.TextSaid).HasMaxLength(Said.MaxJsonLength);
        notification.HasOne<ApplicationUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        notification.HasOne<Lead>().WithMany().HasForeignKey(n => n.LeadId).OnDelete(DeleteBehavior.Cascade);
        // The bell: a user's unread count and newest first.
        notification.HasIndex(n => new { n.UserId, n.ReadAt, n.Id });
    }
}
