using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DailyLevelEntries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DailyLevelEntries",
                columns: table => new
                {
                    Day = table.Column<DateTime>(type: "TEXT", nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyLevelEntries", x => new { x.Day, x.TeamId, x.Level });
                });

            // Every recorded change into a level counts once for its day and team, in the inserting transaction.
            migrationBuilder.Sql("""
                CREATE TRIGGER "IntentLevelChanges_CountDaily" AFTER INSERT ON "IntentLevelChanges"
                WHEN NEW."To" IS NOT NULL
                BEGIN
                    INSERT INTO "DailyLevelEntries" ("Day", "TeamId", "Level", "Count")
                    VALUES (date(NEW."ChangedAt") || ' 00:00:00', COALESCE(NEW."TeamId", 0), NEW."To", 1)
                    ON CONFLICT ("Day", "TeamId", "Level") DO UPDATE SET "Count" = "Count" + 1;
                END;
                INSERT INTO "DailyLevelEntries" ("Day", "TeamId", "Level", "Count")
                SELECT date("ChangedAt") || ' 00:00:00', COALESCE("TeamId", 0), "To", COUNT(*)
                FROM "IntentLevelChanges" WHERE "To" IS NOT NULL
                GROUP BY 1, 2, 3;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "IntentLevelChanges_CountDaily";""");
            migrationBuilder.DropTable(
                name: "DailyLevelEntries");
        }
    }
}
