using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.PostgreSql.Migrations
{
    /// <summary>
    /// Users whose notifications or tasks changed, for their pages on the other app instances (LISTEN/NOTIFY with a
    /// catch-up read, like <c>LeadChanges</c>); kept for minutes only.
    /// </summary>
    public partial class UserChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "UserChanges" (
                    "Id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    "Instance" varchar(200) NOT NULL,
                    "UserId" varchar(450) NOT NULL,
                    "At" timestamptz NOT NULL DEFAULT now());
                CREATE INDEX "IX_UserChanges_At" ON "UserChanges" ("At");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "UserChanges";""");
        }
    }
}
