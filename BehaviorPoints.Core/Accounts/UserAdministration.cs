using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Accounts;

/// <summary>Creates users with a role and teams (the operator command and the demo data use it).</summary>
public sealed class UserAdministration(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, BehaviorPointsDbContext db)
{
    /// <summary>Creates the three roles when missing.</summary>
    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    public async Task<ApplicationUser> CreateAsync(string? email, string? password, string? role, IReadOnlyList<string> teams, string? displayName = null, CancellationToken cancellationToken = default)
    {
        // Every problem of the form at once, in the form's words (Identity's own would say "Username '' is invalid").
        email = email?.Trim() ?? "";
        var errors = new List<FieldError>();
        if (email.Length == 0)
        {
            errors.Add(FieldError.Of("email", "Enter the new user's email address: it is how they sign in."));
        }
        else if (!System.Net.Mail.MailAddress.TryCreate(email, out var address) || address.Address != email || !email.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(FieldError.Of("email", "'{0}' is not an email address.", email.Length <= 60 ? email : email[..57] + "..."));
        }
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(FieldError.Of("password", "Enter a password for the new user."));
        }
        var canonicalRole = Roles.All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
        if (canonicalRole is null)
        {
            errors.Add(string.IsNullOrWhiteSpace(role)
                ? FieldError.Of("role", "Choose a role: {0}.", string.Join(", ", Roles.All))
                : FieldError.Of("role", "Role '{0}' is not one of {1}.", role, string.Join(", ", Roles.All)));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new ValidationFailedException("email", "A user with the email {0} already exists.", email);
        }
        await EnsureRolesAsync();

        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, LockoutEnabled = true };
        foreach (var name in teams.Where(t => !string.IsNullOrWhiteSpace(t)))
        {
            user.Teams.Add(await TeamDirectory.GetOrCreateAsync(db, name, cancellationToken));
        }
        var created = await users.CreateAsync(user, password!);
        if (!created.Succeeded)
        {
            throw new ValidationFailedException(created.Errors.Select(e => new FieldError(e.Code.Contains("Password") ? "password" : "email", e.Description)).ToList());
        }
        var added = await users.AddToRoleAsync(user, canonicalRole!);
        if (!added.Succeeded)
        {
            throw new ValidationFailedException("role", string.Join(" ", added.Errors.Select(e => e.Description)));
        }
        return user;
    }

    /// <summary>The teams whose leads a user sees.</summary>
    public static async Task<IReadOnlyList<int>> TeamIdsOfAsync(BehaviorPointsDbContext db, string userId, CancellationToken cancellationToken = default) =>
        await db.Users.Where(u => u.Id == userId).SelectMany(u => u.Teams).Select(t => t.Id).ToListAsync(cancellationToken);
}
