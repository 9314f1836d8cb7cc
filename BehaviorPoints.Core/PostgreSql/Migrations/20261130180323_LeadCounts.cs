using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class LeadCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_IntentLevel_FitLevel_Status",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_TeamId_IntentLevel_FitLevel_Status",
                table: "Leads");

            migrationBuilder.CreateTable(
                name: "LeadCounts",
                columns: table => new
                {
                    TeamId = table.Column<int>(type: "integer", nullable: false),
                    IntentLevel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FitLevel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadCounts", x => new { x.TeamId, x.IntentLevel, x.FitLevel, x.Status });
                });

            // Leads per (team, intent level, fit level, status), kept by triggers on every insert, delete and change of those
            // columns, counted once from the leads already there. Frozen here, as migrations must be.
            migrationBuilder.Sql("""
                CREATE FUNCTION "Leads_Count"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        UPDATE "LeadCounts" SET "Count" = "Count" - 1
                        WHERE "TeamId" = COALESCE(OLD."TeamId", 0) AND "IntentLevel" = COALESCE(OLD."IntentLevel", '')
                          AND "FitLevel" = COALESCE(OLD."FitLevel", '') AND "Status" = OLD."Status";
                    END IF;
                    IF TG_OP IN ('UPDATE', 'INSERT') THEN
                        INSERT INTO "LeadCounts" ("TeamId", "IntentLevel", "FitLevel", "Status", "Count")
                        VALUES (COALESCE(NEW."TeamId", 0), COALESCE(NEW."IntentLevel", ''), COALESCE(NEW."FitLevel", ''), NEW."Status", 1)
                        ON CONFLICT ("TeamId", "IntentLevel", "FitLevel", "Status") DO UPDATE SET "Count" = "LeadCounts"."Count" + 1;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER "Leads_Count_Insert" AFTER INSERT ON "Leads" FOR EACH ROW EXECUTE FUNCTION "Leads_Count"();
                CREATE TRIGGER "Leads_Count_Delete" AFTER DELETE ON "Leads" FOR EACH ROW EXECUTE FUNCTION "Leads_Count"();
                CREATE TRIGGER "Leads_Count_Update" AFTER UPDATE OF "TeamId", "IntentLevel", "FitLevel", "Status" ON "Leads"
                    FOR EACH ROW
                    WHEN (OLD."TeamId" IS DISTINCT FROM NEW."TeamId" OR OLD."IntentLevel" IS DISTINCT FROM NEW."IntentLevel"
                       OR OLD."FitLevel" IS DISTINCT FROM NEW."FitLevel" OR OLD."Status" IS DISTINCT FROM NEW."Status")
                    EXECUTE FUNCTION "Leads_Count"();
                INSERT INTO "LeadCounts" ("TeamId", "IntentLevel", "FitLevel", "Status", "Count")
                SELECT COALESCE("TeamId", 0), COALESCE("IntentLevel", ''), COALESCE("FitLevel", ''), "Status", COUNT(*)
                FROM "Leads" GROUP BY 1, 2, 3, 4;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Leads_Count_Insert" ON "Leads";
                DROP TRIGGER IF EXISTS "Leads_Count_Update" ON "Leads";
                DROP TRIGGER IF EXISTS "Leads_Count_Delete" ON "Leads";
                DROP FUNCTION IF EXISTS "Leads_Count"();
                """);

            migrationBuilder.DropTable(
                name: "LeadCounts");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_IntentLevel_FitLevel_Status",
                table: "Leads",
                columns: new[] { "IntentLevel", "FitLevel", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_TeamId_IntentLevel_FitLevel_Status",
                table: "Leads",
                columns: new[] { "TeamId", "IntentLevel", "FitLevel", "Status" });
        }
    }
}
