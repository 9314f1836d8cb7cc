using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core;
using BehaviorPoints.Tests.Support;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Scoring;

public sealed class RuleSetServiceTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    private RuleSetService RuleSets => _database.Get<RuleSetService>();

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_second_rule_set_for_leads_is_refused_with_a_clear_message()
    {
        await RuleSets.CreateAsync(RuleSet(SeedExample));

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => RuleSets.CreateAsync(RuleSet() with { Name = "Another", ApiName = "another__c" }));

        Assert.Equal("object", refused.Errors.Single().Field);
        Assert.Contains("Leads already has a rule set; there is one rule set per scoring object", refused.Errors.Single().Message);
    }

    [Fact]
    public async Task Publishing_freezes_a_version_and_later_drafts_do_not_change_it()
    {
        await RuleSets.SaveDraftAsync(RuleSet(SeedExample));
        var first = await RuleSets.PublishAsync("ana@example.com");
        await RuleSets.SaveDraftAsync(RuleSet(Rule("Only rule", "form.submit", 9)));

        Assert.Equal(1, first);
        Assert.Equal(1, await RuleSets.GetPublishedVersionAsync());
        Assert.Equal(["Follow any account", "Follow ShareCRM"], (await RuleSets.GetVersionAsync(1))!.Rules.Select(r => r.Name));
        Assert.Equal(["Only rule"], (await RuleSets.GetDraftAsync())!.Rules.Select(r => r.Name));
        var compiled = await _database.Get<PublishedRuleSets>().CurrentAsync(await _database.NewContextAsync());
        Assert.Equal(2, compiled!.Rules.Count);

        Assert.Equal(2, await RuleSets.PublishAsync("ana@example.com"));
        compiled = await _database.Get<PublishedRuleSets>().CurrentAsync(await _database.NewContextAsync());
        Assert.Equal(["Only rule"], compiled!.Rules.Select(r => r.Name));
        Assert.Equal([2, 1], (await RuleSets.ListVersionsAsync()).Select(v => v.Version));
        Assert.Equal("ana@example.com", (await RuleSets.ListVersionsAsync())[0].PublishedBy);
    }

    [Fact]
    public async Task An_invalid_draft_is_not_saved()
    {
        await RuleSets.SaveDraftAsync(RuleSet(SeedExample));

        await Assert.ThrowsAsync<ValidationFailedException>(() => RuleSets.SaveDraftAsync(RuleSet(Rule("Zero", "form.submit", 0))));

        Assert.Equal(2, (await RuleSets.GetDraftAsync())!.Rules.Count);
    }

    [Fact]
    public async Task Publishing_with_nothing_saved_says_what_to_do()
    {
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => RuleSets.PublishAsync("x"));

        Assert.Equal("There is no rule set to publish yet: save a draft first.", missing.Message);
    }
}
