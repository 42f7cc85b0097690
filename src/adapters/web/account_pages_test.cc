// The account pages as documents: sound structure (console_html_checks.h), the CSRF token in
// every form, escaping, and errors beside the field they name.
#include "adapters/web/account_pages.h"

#include <string>

#include "adapters/web/account_contacts_page.h"
#include "adapters/web/console_html_checks.h"
#include "adapters/web/sign_in_page.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::web {
namespace {

using testing::CountOf;
using testing::ExpectCsrfInEveryForm;
using testing::ExpectSoundDocument;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "0123456789abcdef0123456789abcdef";

TEST(AccountPagesTest, EveryPageIsASoundDocumentWithTheTokenInEveryForm) {
  SignUpView sign_up{kToken, "Ana", "ana@customer.example", "", false};
  ForgotPasswordView forgot{kToken, "", "", false};
  ChoosePasswordView choose{PasswordLinkKind::kVerify, kToken, "link-token", "ana@customer.example",
                            ""};
  for (const std::string& html : {RenderSignUpPage(sign_up), RenderForgotPasswordPage(forgot),
                                  RenderChoosePasswordPage(choose)}) {
    ExpectSoundDocument(html);
    ExpectCsrfInEveryForm(html, kToken);
  }
  for (const std::string& html :
       {RenderSignUpPage({kToken, "", "", "", true}),
        RenderForgotPasswordPage({kToken, "", "", true}),
        RenderInvalidLinkPage(PasswordLinkKind::kReset, "This link is not valid any more.")}) {
    ExpectSoundDocument(html);
    EXPECT_EQ(CountOf(html, "<form"), 0u);
  }
}

TEST(AccountPagesTest, SignUpKeepsWhatWasTypedEscapedAndPutsTheErrorBesideItsField) {
  SignUpView view{kToken, "<b>Ana</b>", "ana@", "email: enter an address such as name@example.com",
                  false};
  const std::string html = RenderSignUpPage(view);
  ExpectSoundDocument(html);
  EXPECT_THAT(html, HasSubstr("value=\"&lt;b&gt;Ana&lt;/b&gt;\""));
  EXPECT_THAT(html, Not(HasSubstr("<b>Ana")));
  EXPECT_THAT(html, HasSubstr("id=\"signup-email-error\""));
  EXPECT_THAT(html, HasSubstr("enter an address such as name@example.com"));
  EXPECT_THAT(html, HasSubstr("aria-invalid=\"true\" aria-describedby=\"signup-email-error\""));
  EXPECT_THAT(html, Not(HasSubstr("id=\"account-error\"")));
  EXPECT_THAT(html, HasSubstr("href=\"/login\""));
  EXPECT_THAT(html, HasSubstr("href=\"/password/forgot\""));

  // An error about no field goes above the form.
  view.error = "Too many requests for this address; try again in an hour.";
  const std::string refused = RenderSignUpPage(view);
  ExpectSoundDocument(refused);
  EXPECT_THAT(refused, HasSubstr("id=\"account-error\" role=\"alert\""));
  EXPECT_THAT(refused, Not(HasSubstr("aria-invalid")));
}

TEST(AccountPagesTest, ChoosePasswordPostsTheTokenBackToTheRightPage) {
  struct Row {
    PasswordLinkKind kind;
    std::string action;
    std::string heading;
  };
  for (const Row& row :
       {Row{PasswordLinkKind::kVerify, "/verify", "Choose your password"},
        Row{PasswordLinkKind::kInvite, "/verify", "Choose your password"},
        Row{PasswordLinkKind::kReset, "/password/reset", "Choose a new password"}}) {
    ChoosePasswordView view{row.kind, kToken, "tok\"en", "ana@customer.example",
                            "password: use at least 10 characters"};
    const std::string html = RenderChoosePasswordPage(view);
    ExpectSoundDocument(html);
    EXPECT_THAT(html, HasSubstr("action=\"" + row.action + "\""));
    EXPECT_THAT(html, HasSubstr("<h1>" + row.heading + "</h1>"));
    EXPECT_THAT(html, HasSubstr("<input type=\"hidden\" name=\"token\" value=\"tok&quot;en\">"));
    EXPECT_THAT(html, HasSubstr("autocomplete=\"new-password\""));
    EXPECT_THAT(html, HasSubstr("aria-describedby=\"new-password-hint new-password-error\""));
    EXPECT_THAT(html, HasSubstr("ana@customer.example"));
  }
}

TEST(AccountPagesTest, TheSignInPageLinksToSignUpAndForgottenPasswords) {
  const std::string html = RenderSignInPage({});
  ExpectSoundDocument(html);
  EXPECT_THAT(html, HasSubstr("href=\"/signup\""));
  EXPECT_THAT(html, HasSubstr("href=\"/password/forgot\""));
}

TEST(AccountPagesTest, ContactsListEachPersonWithTheirActionsAndTheInviteForm) {
  PortalFrame frame;
  frame.brand_name = "Acme Cloud";
  frame.org_name = "Globex";
  frame.user_name = "Ana";
  frame.csrf_token = kToken;
  frame.org_admin = true;
  frame.active = "contacts";
  frame.title = "Contacts";
  ContactsView view;
  view.org_name = "Globex";
  view.contacts = {
      {.id = 7, .name = "Ana", .email = "ana@globex.example", .org_admin = true, .is_self = true},
      {.id = 8, .name = "Ben <script>", .email = "ben@globex.example", .invited = true},
      {.id = 9, .name = "Cy", .email = "cy@globex.example", .active = false}};
  view.posted = {"invite",
                 {{"name", "Dee"}, {"email", "ana@globex.example"}},
                 "email: someone already has an account with this address"};
  const std::string html = RenderContactsPage(frame, view);
  ExpectSoundDocument(html);
  ExpectCsrfInEveryForm(html, kToken);
  EXPECT_THAT(html, HasSubstr("Ana (you)"));
  EXPECT_THAT(html, Not(HasSubstr("/portal/contacts/7/")));  // no buttons for oneself
  EXPECT_THAT(html, HasSubstr("Ben &lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("action=\"/portal/contacts/8/invitation\""));
  EXPECT_THAT(html, HasSubstr("aria-label=\"Deactivate: Ben &lt;script&gt;\""));
  EXPECT_THAT(html, HasSubstr(">Invited<"));
  EXPECT_THAT(html, HasSubstr(">Deactivated<"));
  EXPECT_THAT(html, HasSubstr("aria-label=\"Reactivate: Cy\""));
  EXPECT_THAT(html, Not(HasSubstr("/portal/contacts/9/invitation")));
  EXPECT_THAT(html, HasSubstr("value=\"Dee\""));
  EXPECT_THAT(html, HasSubstr("id=\"invite-email-error\""));
  EXPECT_THAT(html, HasSubstr("someone already has an account with this address"));

  // A refused action shows its error in the contact's row.
  view.posted = {"contact-8", {{"active", "false"}}, "you may not change active for this user"};
  const std::string refused = RenderContactsPage(frame, view);
  ExpectSoundDocument(refused);
  EXPECT_THAT(refused, HasSubstr("id=\"contact-8-error\" role=\"alert\""));
}

}  // namespace
}  // namespace casedesk::adapters::web
