using BehaviorPoints.Core.Domain;

namespace BehaviorPoints.Tests.Core.Leads;

/// <summary>A lead keeps when it was closed (Converted or Lost): the moment a prediction's training data is cut at.</summary>
public sealed class LeadCloseTests
{
    private static readonly DateTime s_monday = new(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Closing_keeps_the_moment_reopening_clears_it_and_other_edits_leave_it()
    {
        var lead = new Lead(Fields(LeadStatus.Open), s_monday, bands: null);
        Assert.Null(lead.ClosedAt);

        lead.Update(Fields(LeadStatus.Qualified), s_monday.AddDays(1));
        Assert.Null(lead.ClosedAt);

        lead.Update(Fields(LeadStatus.Converted), s_monday.AddDays(2));
        Assert.Equal(s_monday.AddDays(2), lead.ClosedAt);

        // An edit that leaves the status alone does not move the close.
        lead.Update(Fields(LeadStatus.Converted) with { Company = "Acme Ltd" }, s_monday.AddDays(3));
        Assert.Equal(s_monday.AddDays(2), lead.ClosedAt);

        // Won, then lost after all: the latest close counts.
        lead.Update(Fields(LeadStatus.Lost), s_monday.AddDays(4));
        Assert.Equal(s_monday.AddDays(4), lead.ClosedAt);

        lead.Update(Fields(LeadStatus.Open), s_monday.AddDays(5));
        Assert.Null(lead.ClosedAt);
    }

    [Theory]
    [InlineData(LeadStatus.Converted, true)]
    [InlineData(LeadStatus.Lost, true)]
    [InlineData(LeadStatus.Open, false)]
    [InlineData(LeadStatus.Qualified, false)]
    public void A_lead_created_closed_is_closed_from_its_creation(LeadStatus status, bool closed)
    {
        var lead = new Lead(Fields(status), s_monday, bands: null);

        Assert.Equal(closed ? s_monday : null, lead.ClosedAt);
        Assert.Equal(closed, Lead.IsClosed(status));
    }

    private static LeadFields Fields(LeadStatus status) => new() { Name = "Ana Kowalska", Company = "Acme", Status = status };
}
