using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Core.Accounts;

/// <summary>A user as the administration page lists them.</summary>
public sealed record UserSummary(string Id, string Email, string? DisplayName, string? Role, IReadOnlyList<string> Teams, bool Disabled, bool LockedOut, bool Away = false);

/// <summary>What an administrator sets when creating or editing a user.</summary>
public sealed record UserChanges(string Role, IReadOnlyList<string> Teams, string? DisplayName);

/// <summary>
/// Lists and edits users for administrators. Each call works in its own scope, so no Identity store (and its
/// DbContext) outlives the operation in a Blazor circuit.
/// </summary>
public sealed class UserDirectory(IServiceScopeFactory scopes, IDbContextFactory<BehaviorPointsDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The email of the user who has <paramref name="email"/> (any case) as it is stored, or null when nobody has it.</summary>
    public async Task<string?> FindEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var normalized = email.Trim().ToUpperInvariant();
        if (UserText.HasControlCharacters(normalized))
        {
            return null; // No stored email has one, and PostgreSQL would refuse the parameter.
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The id of the user who has <paramref name="email"/> (any case), or null when nobody has it.</summary>
    public async Task<string?> FindIdAsync(string email, CancellationToken cancellationToken = default)
    {
        var normalized = email.Trim().ToUpperInvariant();
        if (UserText.HasControlCharacters(normalized))
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking()
            .OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.LockoutEnd, u.IsAway, Teams = u.Teams.OrderBy(t => t.Name).Select(t => t.Name).ToList() })
            .ToListAsync(cancellationToken);
        var roles = await db.UserRoles.AsNoTracking()
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return users.Select(u => new UserSummary(
            u.Id,
            u.Email ?? "",
            u.DisplayName,
            roles.FirstOrDefault(r => r.UserId == u.Id)?.Name,
            u.Teams,
            Disabled: u.LockoutEnd == DateTimeOffset.MaxValue,
            LockedOut: u.LockoutEnd > now && u.LockoutEnd != DateTimeOffset.MaxValue,
            Away: u.IsAway)).ToList();
    }

    public async Task<UserSummary> CreateAsync(string? email, string? password, UserChanges changes, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(email, password, changes.Role, changes.Teams, changes.DisplayName, cancellationToken);
        return (await ListAsync(cancellationToken)).Single(u => u.Id == user.Id);
    }

    /// <summary>Sets a user's role (replacing the old one), teams and display name.</summary>
    public async Task UpdateAsync(string userId, UserChanges changes, CancellationToken cancellationToken = default)
    {
        var role = Roles.All.FirstOrDefault(r => string.Equals(r, changes.Role, StringComparison.OrdinalIgnoreCase))
            ?? throw new ValidationFailedException("role", "Role '{0}' is not one of {1}.", changes.Role, string.Join(", ", Roles.All));
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var db = scope.ServiceProvider.GetRequiredService<BehaviorPointsDbContext>();
        var user = await db.Users.Include(u => u.Teams).FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw new NotFoundException("That user no longer exists.");

        user.DisplayName = string.IsNullOrWhiteSpace(changes.DisplayName) ? null : changes.DisplayName.Trim();
        user.Teams.Clear();
        foreach (var name in changes.Teams.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            user.Teams.Add(await TeamDirectory.GetOrCreateAsync(db, name, cancellationToken));
        }
        await users.UpdateAsync(user);

        var current = await users.GetRolesAsync(user);
        if (!current.SequenceEqual([role]))
        {
            await users.RemoveFromRolesAsync(user, current);
            await users.AddToRoleAsync(user, role);
            // A new role must not ride on an old cookie: the security stamp change signs the user out on revalidation.
            await users.UpdateSecurityStampAsync(user);
        }
    }

    /// <summary>Disables (or enables) sign-in for a user. A disabled user is signed out at the next revalidation.</summary>
    public async Task SetDisabledAsync(string userId, bool disabled, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("That user no longer exists.");
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null);
        await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user);
    }

    /// <summary>Marks a user away (or back): round-robin routing skips them while they are away (SPEC §10).</summary>
    public async Task SetAwayAsync(string userId, bool away, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("That user no longer exists.");
        user.IsAway = away;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            throw new ConflictException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>Whether the user is marked away.</summary>
    /// <summary>The name people know the user by: the display name, else the email; null when there is no such user.</summary>
    public async Task<string?> NameAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DisplayName, u.Email }).FirstOrDefaultAsync(cancellationToken);
        return user is null ? null : string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email : user.DisplayName;
    }

    public async Task<bool> IsAwayAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.IsAway).FirstOrDefaultAsync(cancellationToken);
    }
}
