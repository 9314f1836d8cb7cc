using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Fit;

public sealed class FitModelTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    internal static FitRuleDefinition FitRule(string name, string field, string op, object? value, int points) => new()
    {
        Name = name,
        Field = field,
        Operator = op,
        Value = value is null ? null : Json(value),
        Points = points,
    };

    internal static FitModelDefinition Model(int mediumFrom, int highFrom, params FitRuleDefinition[] rules) =>
        new() { Rules = rules, Bands = new FitBandsDefinition { MediumFrom = mediumFrom, HighFrom = highFrom } };

    // Software +30, job title containing "head" +25, Europe +10, competitor domain -50. Medium from 30, High from 60.
    internal static FitModelDefinition Example => Model(30, 60,
        FitRule("Target industry", FitFields.Industry, "in", new[] { "Software", "Finance" }, 30),
        FitRule("Decision maker", FitFields.JobTitle, "contains", "head", 25),
        FitRule("Europe", FitFields.Region, "equals", "Europe", 10),
        FitRule("Competitor", FitFields.EmailDomain, "equals", "rival.example", -50));

    private async Task<int> PublishAsync(FitModelDefinition model)
    {
        var service = _database.Get<FitModelService>();
        await service.SaveDraftAsync(model);
        return await service.PublishAsync("tests");
    }

    private Task<LeadView> CreateAsync(string name, string? industry = null, string? jobTitle = null, string? region = null, string? email = null) =>
        _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = name, Industry = industry, JobTitle = jobTitle, Region = region, Email = email }, LeadAccess.All);

    [Fact]
    public void The_validator_names_every_problem_with_its_path()
    {
        var model = Model(50, 50,
            FitRule("Size", "headcount", "equals", "10", 5),
            FitRule("size", FitFields.CompanySize, "in", Array.Empty<string>(), 5),
            FitRule("", FitFields.Region, "equals", "Europe", 0),
            FitRule("Huge", FitFields.Region, "gt", "many", 5000));

        var errors = FitModelValidator.Validate(model).Select(e => e.Field).ToList();

        Assert.Equal(
            ["rules[0].field", "rules[1].name", "rules[1].value", "rules[2].name", "rules[2].points", "rules[3].value", "rules[3].points", "bands.highFrom"],
            errors);
        Assert.Empty(FitModelValidator.Validate(Example));
    }

    [Fact]
    public void A_lead_scores_the_sum_of_the_rules_its_fields_match_and_falls_into_a_band()
    {
        var model = CompiledFitModel.Compile(Example, 1);
        IReadOnlyDictionary<string, AttributeValue> Fields(params (string Code, string Value)[] values) =>
            values.ToDictionary(v => v.Code, v => AttributeValue.FromText(v.Value));

        Assert.Equal(new FitResult(65, "High", 1), model.Score(Fields((FitFields.Industry, "software"), (FitFields.JobTitle, "Head of Sales"), (FitFields.Region, "Europe"))));
        Assert.Equal(new FitResult(30, "Medium", 1), model.Score(Fields((FitFields.Industry, "Finance"))));
        Assert.Equal(new FitResult(-10, "Low", 1), model.Score(Fields((FitFields.Industry, "Finance"), (FitFields.EmailDomain, "rival.example"), (FitFields.Region, "Europe"))));
        Assert.Equal(new FitResult(0, "Low", 1), model.Score(Fields()));
    }

    [Fact]
    public async Task Fit_is_computed_when_a_lead_is_created_and_from_scratch_when_its_fields_change()
    {
        await PublishAsync(Example);

        var lead = await CreateAsync("Ana Souza", industry: "Software", jobTitle: "Head of Growth", email: "ana@startup.example");
        Assert.Equal((55, "Medium"), (lead.FitScore, lead.FitLevel));

        var updated = await _database.Get<LeadCommands>().UpdateAsync(lead.Id, lead.ToInput() with { Region = "Europe" }, LeadAccess.All);
        Assert.Equal((65, "High"), (updated!.FitScore, updated.FitLevel));

        // Down as readily as up: the industry no longer matches, and the email moved to a competitor.
        var down = await _database.Get<LeadCommands>().UpdateAsync(lead.Id, updated.ToInput() with { Industry = "Retail", Email = "ana@rival.example" }, LeadAccess.All);
        Assert.Equal((-15, "Low"), (down!.FitScore, down.FitLevel));
    }

    [Fact]
    public async Task Before_any_fit_model_is_published_leads_have_no_fit()
    {
        await _database.Get<FitModelService>().SaveDraftAsync(Example);

        var lead = await CreateAsync("No Model", industry: "Software");

        Assert.Null(lead.FitScore);
        Assert.Null(lead.FitLevel);
    }

    [Fact]
    public async Task Publishing_recomputes_every_lead_in_batches_and_reports_progress()
    {
        await PublishAsync(Example);
        var leads = _database.Get<LeadCommands>();
        for (var i = 0; i < FitRecalculation.BatchSize + 20; i++)
        {
            await leads.CreateAsync(new LeadInput { Name = $"Lead {i}", Industry = i % 2 == 0 ? "Software" : "Retail", Region = "Europe" }, LeadAccess.All);
        }
        var recalculation = _database.Get<FitRecalculation>();
        await recalculation.RunAsync(); // version 1's run: the leads created since have their fit already
        Assert.False(recalculation.Progress!.Running);

        // Version 2: Retail is the target now.
        var version = await PublishAsync(Model(30, 60, FitRule("Retail", FitFields.Industry, "equals", "Retail", 70)));
        var reports = new List<JobProgress>();
        recalculation.Changed += reports.Add;
        var recomputed = await recalculation.RunAsync();

        Assert.Equal(FitRecalculation.BatchSize + 20, recomputed);
        Assert.Equal(FitRecalculation.BatchSize + 20, reports[0].Total);
        Assert.Contains(reports, r => r.Running && r.Done == FitRecalculation.BatchSize);
        Assert.False(reports[^1].Running);
        Assert.Equal(100, reports[^1].Percent);
        await using var db = await _database.NewContextAsync();
        var byIndustry = await db.Leads.GroupBy(l => new { l.Industry, l.FitScore, l.FitLevel, l.FitVersion }).Select(g => g.Key).ToListAsync();
        Assert.Equal(2, byIndustry.Count);
        Assert.Contains(byIndustry, k => k.Industry == "Retail" && k.FitScore == 70 && k.FitLevel == "High" && k.FitVersion == version);
        Assert.Contains(byIndustry, k => k.Industry == "Software" && k.FitScore == 0 && k.FitLevel == "Low" && k.FitVersion == version);
    }

    [Fact]
    public async Task A_recompute_stopped_half_way_resumes_after_the_last_lead_it_committed()
    {
        for (var i = 0; i < FitRecalculation.BatchSize * 2 + 5; i++)
        {
            await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = $"Lead {i}", Industry = "Software" }, LeadAccess.All);
        }
        await PublishAsync(Example);
        var recalculation = _database.Get<FitRecalculation>();

        // Stop after the first batch, as a shutdown would.
        using var stop = new CancellationTokenSource();
        recalculation.Changed += p => { if (p.Done >= FitRecalculation.BatchSize) stop.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recalculation.RunAsync(stop.Token));
        await using (var db = await _database.NewContextAsync())
        {
            Assert.Equal(FitRecalculation.BatchSize + 5, await db.Leads.CountAsync(l => l.FitVersion == null));
        }

        var resumed = await recalculation.RunAsync();

        Assert.Equal(FitRecalculation.BatchSize + 5, resumed);
        await using var after = await _database.NewContextAsync();
        Assert.Equal(FitRecalculation.BatchSize * 2 + 5, await after.Leads.CountAsync(l => l.FitVersion == 1 && l.FitScore == 30 && l.FitLevel == "Medium"));
    }

    [Fact]
    public async Task Publishing_without_a_draft_or_saving_an_invalid_draft_is_refused_with_the_reason()
    {
        var service = _database.Get<FitModelService>();
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => service.PublishAsync("tests"));
        Assert.Contains("save a draft first", missing.Message);

        var invalid = await Assert.ThrowsAsync<ValidationFailedException>(() => service.SaveDraftAsync(Model(60, 30)));
        Assert.Contains(invalid.Errors, e => e.Field == "bands.highFrom" && e.Message.Contains("above Medium"));
        Assert.Equal(FitModelDefinition.Empty, await service.GetDraftAsync());
    }

    [Fact]
    public async Task Versions_are_kept_and_common_values_are_suggested_from_the_leads()
    {
        await CreateAsync("A", industry: "Software");
        await CreateAsync("B", industry: "Software");
        await CreateAsync("C", industry: "Retail");
        await PublishAsync(Example);
        await PublishAsync(Model(10, 20, FitRule("Retail", FitFields.Industry, "equals", "Retail", 15)));

        var service = _database.Get<FitModelService>();
        var versions = await service.ListVersionsAsync();
        Assert.Equal([2, 1], versions.Select(v => v.Version));
        Assert.Equal([1, 4], versions.Select(v => v.Rules));
        Assert.Equal("Europe", (await service.GetVersionAsync(1))!.Rules[2].Name);
        Assert.Equal(["Software", "Retail"], await service.CommonValuesAsync(FitFields.Industry));
        Assert.Empty(await service.CommonValuesAsync(FitFields.EmailDomain));
    }
}

public sealed class FitRuleFormTests
{
    [Fact]
    public void A_rule_round_trips_through_the_form_and_reads_as_a_sentence()
    {
        var rule = FitModelTests.FitRule("Target industry", FitFields.Industry, "in", new[] { "Software", "Finance" }, 30);

        var form = FitRuleForm.From(rule);
        Assert.Equal(["Software", "Finance"], form.Condition.Values);
        var back = form.ToDefinition();

        Assert.Equal((rule.Name, rule.Field, rule.Operator, rule.Points), (back.Name, back.Field, back.Operator, back.Points));
        Assert.Equal(rule.Value!.Value.GetRawText(), back.Value!.Value.GetRawText());
        Assert.Equal("Industry is one of Software, Finance: +30", FitRuleForm.Describe(back));
        Assert.Equal("Job title contains head: −5", FitRuleForm.Describe(FitModelTests.FitRule("x", FitFields.JobTitle, "contains", "head", -5)));
        Assert.Equal("Low below 20 · Medium 20 to 49 · High from 50", FitRuleForm.Describe(FitBandsDefinition.Default));
        Assert.Equal("Industry is one of Software, Finance", FitRuleForm.DescribeCondition(back));
        Assert.Equal((-50, 65), FitModelTests.Example.ScoreRange);
    }
}
