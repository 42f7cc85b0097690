#include "core/mail_reply.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

TEST(VisibleReplyTest, StripsHistoryAndSignatures) {
  const struct {
    std::string_view name;
    std::string_view text;
    std::string_view expected;
  } kTable[] = {
      {"plain message untouched", "Hello,\n\nthe export fails since Monday.\n\nRegards\nJan\n",
       "Hello,\n\nthe export fails since Monday.\n\nRegards\nJan"},
      {"gmail attribution on one line",
       "Thanks, that fixed it.\n\nOn Tue, Mar 5, 2024 at 10:02 AM Support <support@desk.example> "
       "wrote:\n> Please restart the agent.\n>\n> Best\n",
       "Thanks, that fixed it."},
      {"gmail attribution wrapped over two lines",
       "Works now.\n\nOn Tue, Mar 5, 2024 at 10:02 AM Very Long Support Name <\n"
       "support@desk.example> wrote:\n\n> Please restart the agent.\n",
       "Works now."},
      {"apple mail attribution",
       "Yes.\n\nOn 5 Mar 2024, at 10:02, Ana <ana@x.example> wrote:\n\n> ok?\n", "Yes."},
      {"german attribution",
       "Danke, erledigt.\n\nAm 05.03.2024 um 10:02 schrieb Support <support@desk.example>:\n> "
       "Bitte "
       "neu starten.\n",
       "Danke, erledigt."},
      {"german outlook header block",
       "Passt.\n\nVon: Support <support@desk.example>\nGesendet: Dienstag, 5. März 2024 10:02\n"
       "An: Jan <jan@x.example>\nBetreff: [Case #123456] Export\n\nBitte neu starten.\n",
       "Passt."},
      {"french attribution with nbsp-free space before colon",
       "Merci beaucoup.\n\nLe mar. 5 mars 2024 à 10:02, Support <support@desk.example> a écrit :\n"
       "> Redémarrez l'agent.\n",
       "Merci beaucoup."},
      {"spanish attribution",
       "Gracias.\n\nEl mar, 5 mar 2024 a las 10:02, Soporte (<soporte@desk.example>) escribió:\n"
       "> Reinicie el agente.\n",
       "Gracias."},
      {"dutch attribution",
       "Bedankt.\n\nOp di 5 mrt. 2024 om 10:02 schreef Support <support@desk.example>:\n> "
       "Herstart.\n",
       "Bedankt."},
      {"outlook original message divider",
       "Please close the case.\r\n\r\n-----Original Message-----\r\nFrom: Support\r\nSent: "
       "Tuesday\r\n"
       "To: Jan\r\nSubject: Export\r\n\r\nDid the restart help?\r\n",
       "Please close the case."},
      {"outlook underscore separator and header block",
       "See the attached log.\r\n\r\n________________________________\r\nFrom: Support Desk "
       "<support@desk.example>\r\nSent: Tuesday, March 5, 2024 10:02 AM\r\nTo: Jan Jansen\r\n"
       "Subject: RE: Export\r\n\r\nCould you send the log?\r\n",
       "See the attached log."},
      {"outlook bold header block from html rendering",
       "Done.\n\n*From:* Support <support@desk.example>\n*Sent:* Tuesday, March 5, 2024\n*To:* "
       "Jan\n"
       "*Subject:* Export\n",
       "Done."},
      {"signature delimiter",
       "Restarted, still failing.\n\n-- \nJan Jansen\nACME Corp\n+31 20 555 0100\n",
       "Restarted, still failing."},
      {"sent from my iphone then quote",
       "On my way.\n\nSent from my iPhone\n\n> On 5 Mar 2024, at 10:02, Support wrote:\n> ping\n",
       "On my way."},
      {"get outlook for android", "Approved.\n\nGet Outlook for Android\n", "Approved."},
      {"german mobile trailer", "Ok.\n\nVon meinem iPhone gesendet\n", "Ok."},
      {"interleaved quoting keeps the answers",
       "> Which version do you run?\n4.2.1\n\n> Did you restart?\nYes, twice.\n",
       "4.2.1\n\nYes, twice."},
      {"bare attribution followed by quotes",
       "Agreed.\n\nJane Doe <jane@x.example> wrote:\n> proposal\n", "Agreed."},
      {"gmail forward with note",
       "FYI, see below.\n\n---------- Forwarded message ---------\nFrom: "
       "A <a@x.example>\nDate: Tue\nSubject: Outage\n\nThe site is down.\n",
       "FYI, see below."},
      {"only quoted text falls back to everything", "> just a quote\n> nothing else\n",
       "> just a quote\n> nothing else"},
      {"bare forward falls back to everything",
       "\n---------- Forwarded message ---------\nFrom: A <a@x.example>\nSubject: "
       "Outage\n\nDown.\n\n",
       "---------- Forwarded message ---------\nFrom: A <a@x.example>\nSubject: Outage\n\nDown."},
      {"sentence mentioning wrote is kept",
       "On Monday the contractor wrote a patch; it is deployed.\nThanks\n",
       "On Monday the contractor wrote a patch; it is deployed.\nThanks"},
      {"dash dash inside a line is kept", "Use --force -- it helps.\n", "Use --force -- it helps."},
      {"trailing blank lines and crlf", "Hi\r\n\r\n\r\n", "Hi"},
      {"blank lines inside are kept", "a\n\n\nb\n", "a\n\n\nb"},
      {"sentence starting like a trailer is kept",
       "Hi\n\nSent from my desk, which is easier than my phone.\n",
       "Hi\n\nSent from my desk, which is easier than my phone."},
      {"outlook dashes above header block",
       "Outlook reply\n\n ------------------------------\n From: Support\n Sent: Tuesday\n To: "
       "Jan\n"
       " Subject: Export\n\nold\n",
       "Outlook reply"},
      {"empty", "", ""},
  };
  for (const auto& row : kTable) {
    EXPECT_EQ(VisibleReply(row.text), row.expected) << row.name;
  }
}

}  // namespace
}  // namespace casedesk::core
