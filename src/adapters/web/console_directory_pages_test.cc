// The console's directory admin pages (people, groups, organisations): sound documents (labels,
// unique ids, headings in order, no inline script), the CSRF token in every POST form, stored
// values in the forms, a refused form shown again with its reason and what was typed, admin-only
// controls, and escaping.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "adapters/web/console_group_pages.h"
#include "adapters/web/console_html_checks.h"
#include "adapters/web/console_org_pages.h"
#include "adapters/web/console_people_pages.h"

namespace casedesk::adapters::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kXss[] = "<script>alert(1)</script>";

ConsoleFrame DirectoryTestFrame() {
  ConsoleFrame frame;
  frame.desk_name = "Acme Support";
  frame.user_name = "Ada Admin";
  frame.csrf_token = "tok123";
  frame.active = "admin";
  frame.title = "People";
  return frame;
}

void ExpectSoundDirectoryPage(const std::string& html) {
  testing::ExpectSoundDocument(html);
  for (const std::string& form : testing::Forms(html)) {
    if (form.find("method=\"post\"") == std::string::npos) continue;
    EXPECT_THAT(form, HasSubstr("<input type=\"hidden\" name=\"csrf_token\" value=\"tok123\">"))
        << form.substr(0, 200);
  }
  EXPECT_LT(html.size(), 100u * 1024u);
}

core::User DirectoryStaffUser() {
  core::User user;
  user.id = 7;
  user.email = "sam@acme.example";
  user.name = "Sam Staff";
  user.role = core::Role::kAgent;
  user.org_id = 1;
  user.tier = core::Tier::kShiftLead;
  user.skills = {"storage", "network"};
  return user;
}

TEST(ConsolePeoplePagesTest, ListShowsRowsFiltersPagesAndTheAddForm) {
  ConsolePeopleListView view;
  core::User contact = DirectoryStaffUser();
  contact.id = 8;
  contact.name = kXss;
  contact.role = core::Role::kCustomer;
  contact.org_id = 4;
  contact.active = false;
  view.people = {DirectoryStaffUser(), contact};
  view.org_names = {{1, "Acme"}, {4, "Globex"}};
  view.role_filter = "agent";
  view.next_href = "/console/admin/people?role=agent&cursor=abc";
  const std::string html = RenderConsolePeopleListPage(DirectoryTestFrame(), view);
  ExpectSoundDirectoryPage(html);
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/admin/people/7\">Sam Staff</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/admin/orgs/4\">Globex</a>"));
  EXPECT_THAT(html, HasSubstr("Deactivated"));
  EXPECT_THAT(html, HasSubstr("<option value=\"agent\" selected>Agent</option>"));
  EXPECT_THAT(html, HasSubstr("href=\"/console/admin/people?role=agent&amp;cursor=abc\""));
  EXPECT_THAT(html, Not(HasSubstr("First page")));
  EXPECT_THAT(html, Not(HasSubstr(kXss)));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;"));
}

TEST(ConsolePeoplePagesTest, RefusedAddFormKeepsWhatWasTyped) {
  ConsolePeopleListView view;
  view.form.name = "add-person";
  view.form.fields = {{"email", "ann@x.example"},
                      {"name", "Ann \"A\""},
                      {"role", "admin"},
                      {"org_id", "12"},
                      {"tier", "sme"}};
  view.form.error = "only an admin may create provider staff";
  const std::string html = RenderConsolePeopleListPage(DirectoryTestFrame(), view);
  ExpectSoundDirectoryPage(html);
  EXPECT_THAT(html, HasSubstr("role=\"alert\""));
  EXPECT_THAT(html, HasSubstr("only an admin may create provider staff"));
  EXPECT_THAT(html, HasSubstr("value=\"Ann &quot;A&quot;\""));
  EXPECT_THAT(html, HasSubstr("value=\"12\""));
  EXPECT_THAT(html, HasSubstr("<option value=\"sme\" selected>"));
}

TEST(ConsolePeoplePagesTest, PersonPageShowsDetailsGroupsAndHistory) {
  ConsolePersonView view;
  view.user = DirectoryStaffUser();
  view.org.id = 1;
  view.org.name = "Acme";
  view.org.kind = core::OrgKind::kProvider;
  core::Group storage{.id = 3, .name = "Storage"};
  core::Group network{.id = 4, .name = "Network"};
  view.groups = {storage};
  view.other_groups = {network};
  core::AuditEvent event;
  event.kind = "user.updated";
  event.actor_id = 1;
  event.at = absl::FromUnixSeconds(1795000000);
  event.changes = {{"tier", "none", "shift_lead"}};
  view.events = {event};
  view.actor_names = {{1, "Ada Admin"}};
  view.is_admin = true;
  const std::string html = RenderConsolePersonPage(DirectoryTestFrame(), view);
  ExpectSoundDirectoryPage(html);
  EXPECT_THAT(html, HasSubstr("value=\"Sam Staff\""));
  EXPECT_THAT(html, HasSubstr("value=\"storage, network\""));
  EXPECT_THAT(html, HasSubstr("<option value=\"shift_lead\" selected>Shift lead</option>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/admin/groups/3\">Storage</a>"));
  EXPECT_THAT(html, HasSubstr("aria-label=\"Remove from Storage\""));
  EXPECT_THAT(html, HasSubstr("<option value=\"4\">Network</option>"));
  EXPECT_THAT(html, HasSubstr("tier: none \xE2\x86\x92 shift_lead"));
  EXPECT_THAT(html, HasSubstr("by Ada Admin"));
  EXPECT_THAT(html, HasSubstr("id=\"person-active\" name=\"active\" value=\"1\" checked"));

  // Other staff read: no group controls; a contact has no tier but "manages contacts".
  view.is_admin = false;
  EXPECT_THAT(RenderConsolePersonPage(DirectoryTestFrame(), view), Not(HasSubstr("Add to group")));
  view.user.role = core::Role::kCustomer;
  view.user.tier = core::Tier::kNone;
  view.user.skills.clear();
  view.user.org_admin = true;
  const std::string contact = RenderConsolePersonPage(DirectoryTestFrame(), view);
  ExpectSoundDirectoryPage(contact);
  EXPECT_THAT(contact, Not(HasSubstr("Escalation tier")));
  EXPECT_THAT(contact, HasSubstr("id=\"person-org-admin\" name=\"org_admin\" value=\"1\" checked"));
}

TEST(ConsolePeoplePagesTest, RefusedPersonFormShowsTheReasonAndTheTypedValues) {
  ConsolePersonView view;
  view.user = DirectoryStaffUser();
  view.org.name = "Acme";
  view.form.name = "person";
  view.form.fields = {{"name", "Samantha"}, {"tier", "sme"}, {"skills", "Bad Skill"}};
  view.form.error = "you may not change name for this user";
  const std::string html = RenderConsolePersonPage(DirectoryTestFrame(), view);
  ExpectSoundDirectoryPage(html);
  EXPECT_THAT(html, HasSubstr("you may not change name for this user"));
  EXPECT_THAT(html, HasSubstr("value=\"Samantha\""));
  EXPECT_THAT(html, HasSubstr("value=\"Bad Skill\""));
  // "active" was not sent: the box is shown unticked, as posted.
  EXPECT_THAT(html, Not(HasSubstr("name=\"active\" value=\"1\" checked")));
}

TEST(ConsolePeoplePagesTest, AdminsGetARoleSelectOfTheRolesThatFitTheOrganisation) {
  ConsolePersonView view;
  view.user = DirectoryStaffUser();
  view.org.id = 1;
  view.org.name = "Acme";
  view.org.kind = core::OrgKind::kProvider;
  view.is_admin = true;
  const std::string staff = RenderConsolePersonPage(DirectoryTestFrame(), view);
  ExpectSoundDirectoryPage(staff);
  EXPECT_THAT(staff,
              HasSubstr("<label for=\"person-role\">Role</label>\n<select id=\"person-role\" "
                        "name=\"role\" aria-describedby=\"person-role-hint\">"
                        "<option value=\"agent\" selected>Agent</option>"
                        "<option value=\"success_manager\">Success manager</option>"
                        "<option value=\"admin\">Admin</option></select>"));
  EXPECT_THAT(staff, HasSubstr("The roles that fit a provider organisation."));
  EXPECT_THAT(staff, Not(HasSubstr("You cannot change your own role")));

  // A contact: the one role of a customer organisation.
  view.user.role = core::Role::kCustomer;
  view.org.kind = core::OrgKind::kCustomer;
  const std::string contact = RenderConsolePersonPage(DirectoryTestFrame(), view);
  EXPECT_THAT(contact, HasSubstr("name=\"role\" aria-describedby=\"person-role-hint\">"
                                 "<option value=\"customer\" selected>Customer contact</option>"
                                 "</select>"));

  // A person whose role does not fit keeps it on offer, so saving never changes it unasked.
  view.user.role = core::Role::kAgent;
  EXPECT_THAT(RenderConsolePersonPage(DirectoryTestFrame(), view),
              HasSubstr("<option value=\"agent\" selected>Agent</option>"
                        "<option value=\"customer\">Customer contact</option></select>"));

  // Their own page says they cannot; a refused change is shown as posted and marked invalid.
  view.user = DirectoryStaffUser();
  view.org.kind = core::OrgKind::kProvider;
  view.is_self = true;
  view.form.name = "person";
  view.form.fields = {{"name", "Sam Staff"}, {"role", "admin"}, {"tier", "shift_lead"}};
  view.form.error = "role: you cannot change your own role; ask another admin";
  const std::string own = RenderConsolePersonPage(DirectoryTestFrame(), view);
  ExpectSoundDirectoryPage(own);
  EXPECT_THAT(own, HasSubstr("You cannot change your own role; another admin can."));
  EXPECT_THAT(own, HasSubstr("role: you cannot change your own role; ask another admin"));
  EXPECT_THAT(own, HasSubstr("aria-invalid=\"true\"><option value=\"agent\">Agent</option>"));
  EXPECT_THAT(own, HasSubstr("<option value=\"admin\" selected>Admin</option>"));

  // Other staff get no control.
  view.is_admin = false;
  EXPECT_THAT(RenderConsolePersonPage(DirectoryTestFrame(), view), Not(HasSubstr("name=\"role\"")));
}

TEST(ConsoleGroupPagesTest, ListAndGroupPages) {
  ConsoleGroupListView list;
  list.groups = {core::Group{.id = 3, .name = "Storage", .triage = true, .members = {7, 8}}};
  list.may_edit = true;
  std::string html = RenderConsoleGroupListPage(DirectoryTestFrame(), list);
  ExpectSoundDirectoryPage(html);
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/admin/groups/3\">Storage</a>"));
  EXPECT_THAT(html, HasSubstr("Create group"));
  list.may_edit = false;
  EXPECT_THAT(RenderConsoleGroupListPage(DirectoryTestFrame(), list),
              Not(HasSubstr("Create group")));

  ConsoleGroupView view;
  view.group = list.groups.front();
  view.members = {{7, "Sam Staff", "sam@acme.example", true}};
  view.members_not_shown = 1;
  view.candidates = {{9, "Ola", "ola@acme.example", true}};
  view.may_edit = true;
  html = RenderConsoleGroupPage(DirectoryTestFrame(), view);
  ExpectSoundDirectoryPage(html);
  EXPECT_THAT(html, HasSubstr("Members (2)"));
  EXPECT_THAT(html, HasSubstr("aria-label=\"Remove Sam Staff\""));
  EXPECT_THAT(html, HasSubstr("1 more members are not shown"));
  EXPECT_THAT(html, HasSubstr("<option value=\"9\">Ola (ola@acme.example)</option>"));
  EXPECT_THAT(html, HasSubstr("id=\"group-triage\" name=\"triage\" value=\"1\" checked"));
}

TEST(ConsoleOrgPagesTest, ListOffersPartnersAndPlans) {
  ConsoleOrgListView view;
  core::Organisation partner{.id = 5,
                             .name = "Northwind",
                             .kind = core::OrgKind::kPartner,
                             .parent_id = 1,
                             .plan = "professional"};
  core::Organisation customer{.id = 6,
                              .name = "Contoso",
                              .kind = core::OrgKind::kCustomer,
                              .parent_id = 5,
                              .plan = "enterprise",
                              .time_zone = "Europe/Paris"};
  view.orgs = {partner, customer};
  view.parent_names = {{5, "Northwind"}};
  view.partners = {partner};
  view.plans = {core::SupportPlan{.name = "enterprise", .display_name = "Enterprise"}};
  view.provider_name = "Acme";
  const std::string html = RenderConsoleOrgListPage(DirectoryTestFrame(), view);
  ExpectSoundDirectoryPage(html);
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/admin/orgs/6\">Contoso</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/admin/orgs/5\">Northwind</a>"));
  EXPECT_THAT(html, HasSubstr("<option value=\"5\">Northwind</option>"));
  EXPECT_THAT(html, HasSubstr("None: directly under Acme"));
  EXPECT_THAT(html, HasSubstr("<option value=\"enterprise\">Enterprise (enterprise)</option>"));
  EXPECT_THAT(html, Not(HasSubstr("<option value=\"provider\"")));
}

TEST(ConsoleOrgPagesTest, PartnerPageListsContactsAndCustomers) {
  ConsoleOrgView view;
  view.org = core::Organisation{.id = 5,
                                .name = "Northwind",
                                .kind = core::OrgKind::kPartner,
                                .parent_id = 1,
                                .plan = "professional"};
  core::User agent = DirectoryStaffUser();
  agent.role = core::Role::kPartnerAgent;
  view.contacts = {agent};
  view.customers = {core::Organisation{.id = 6, .name = "Contoso", .plan = "enterprise"}};
  view.more_customers = true;
  view.plans = {core::SupportPlan{.name = "enterprise", .display_name = "Enterprise"}};
  std::string html = RenderConsoleOrgPage(DirectoryTestFrame(), view);
  ExpectSoundDirectoryPage(html);
  EXPECT_THAT(html, HasSubstr("Partner agent"));
  EXPECT_THAT(html, HasSubstr("Add a partner agent"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/admin/orgs/6\">Contoso</a>"));
  EXPECT_THAT(html, HasSubstr("href=\"/console/admin/orgs?parent_id=5\""));
  // The stored plan stays selectable even when it is not among the listed plans.
  EXPECT_THAT(html, HasSubstr("<option value=\"professional\" selected>"));

  view.form.name = "contact";
  view.form.fields = {{"email", "bad"}, {"name", kXss}};
  view.form.error = "email is not a valid address";
  html = RenderConsoleOrgPage(DirectoryTestFrame(), view);
  ExpectSoundDirectoryPage(html);
  EXPECT_THAT(html, HasSubstr("email is not a valid address"));
  EXPECT_THAT(html, HasSubstr("value=\"bad\""));
  EXPECT_THAT(html, Not(HasSubstr(kXss)));
}

}  // namespace
}  // namespace casedesk::adapters::web
