using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.RuleSets;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Scoring;

public sealed class RuleSetChangesTests
{
    [Fact]
    public void Before_the_first_publish_every_rule_is_added()
    {
        var changes = RuleSetChanges.Between(null, RuleSet(SeedExample));

        Assert.Equal(["Follow any account", "Follow ShareCRM"], changes.Added);
        Assert.Empty(changes.Removed);
        Assert.False(changes.IntentFieldChanged);
    }

    [Fact]
    public void Added_removed_changed_and_reordered_rules_are_named()
    {
        var published = RuleSet(SeedExample[0], SeedExample[1], Rule("Old", "form.submit", 5));
        var draft = RuleSet(SeedExample[1] with { Points = 4 }, SeedExample[0], Rule("New", "webinar.attend", 10)) with
        {
            IntentField = IntentFieldDefinition.Default with { Name = "Heat" },
        };

        var changes = RuleSetChanges.Between(published, draft);

        Assert.Equal(["New"], changes.Added);
        Assert.Equal(["Old"], changes.Removed);
        Assert.Equal(["Follow ShareCRM"], changes.Changed);
        Assert.True(changes.OrderChanged);
        Assert.True(changes.IntentFieldChanged);
        Assert.False(changes.IsEmpty);
    }

    [Fact]
    public void An_unchanged_draft_has_no_changes()
    {
        Assert.True(RuleSetChanges.Between(RuleSet(SeedExample), RuleSet(SeedExample)).IsEmpty);
    }
}
