using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence.Configurations;

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> lead)
    {
        // Triggers keep the search index in step with name, company and email, and LeadCounts with team, levels and
        // status (created by the migrations that added them); EF must know they are there.
        lead.ToTable(table =>
        {
            table.HasTrigger("Leads_Search_Insert");
            table.HasTrigger("Leads_Search_Update");
            table.HasTrigger("Leads_Search_Delete");
            foreach (var trigger in LeadCount.TriggerNames)
            {
                table.HasTrigger(trigger);
            }
        });
        lead.Property(l => l.Name).HasMaxLength(200).IsRequired();
        lead.Property(l => l.Company).HasMaxLength(200);
        lead.Property(l => l.Email).HasMaxLength(320);
        lead.Property(l => l.Phone).HasMaxLength(40);
        lead.Property(l => l.ExternalId).HasMaxLength(128);
        lead.Property(l => l.Status).HasConversion<string>().HasMaxLength(16);
        lead.Property(l => l.IntentLevel).HasMaxLength(40);
        lead.Property(l => l.FitLevel).HasMaxLength(16);
        lead.Property(l => l.Source).HasMaxLength(40);
        lead.Property(l => l.Stage).HasMaxLength(60).HasDefaultValue(StagePath.Default.First);
        foreach (var fit in new[] { nameof(Lead.Industry), nameof(Lead.CompanySize), nameof(Lead.JobTitle), nameof(Lead.Region) })
        {
            lead.Property(fit).HasMaxLength(100);
        }

        lead.HasOne(l => l.Owner).WithMany().HasForeignKey(l => l.OwnerId).OnDelete(DeleteBehavior.SetNull);
        lead.HasOne(l => l.Team).WithMany().HasForeignKey(l => l.TeamId).OnDelete(DeleteBehavior.SetNull);

        // Identity look-ups when behaviors arrive with a contact instead of a lead id.
        lead.HasIndex(l => l.Email);
        lead.HasIndex(l => l.Phone);
        lead.HasIndex(l => l.ExternalId);
        // The lead list: by score, by intent level (then score), by team.
        lead.HasIndex(l => l.BehaviorPoints);
        lead.HasIndex(l => new { l.IntentLevel, l.BehaviorPoints });
        lead.HasIndex(l => new { l.TeamId, l.BehaviorPoints });
        lead.HasIndex(l => l.LastActivityAt);
        // The lead list's stage filter and the dashboard's leads per stage (not with the score: every ingest would rewrite it).
        lead.HasIndex(l => l.Stage);
        // The dashboard's counts come from LeadCounts, so no index on Leads serves them (each would cost every write).
        // Leads the fit model has not scored at its current version, for the background recompute.
        lead.HasIndex(l => l.FitVersion);
        // Leads edited since the likelihood refresh last looked (edits only: ingest does not change UpdatedAt).
        lead.HasIndex(l => new { l.UpdatedAt, l.Id });
        // The lead list's sort and filter by likelihood to convert.
        lead.HasIndex(l => l.ConversionProbability);
        lead.Property(l => l.ConversionFactorsJson).HasMaxLength(2000);
    }
}
