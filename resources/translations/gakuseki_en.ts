<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="ja">
<context>
    <name>AccessReportView</name>
    <message>
        <location filename="../../app/gui/report_view.py" line="34"/>
        <source>表示</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="40"/>
        <source>利用者</source>
        <translation>User</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="40"/>
        <source>役割</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="40"/>
        <source>閲覧した児童生徒</source>
        <translation>Students read</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="40"/>
        <source>閲覧回数</source>
        <translation>Reads</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="41"/>
        <source>出力した児童生徒</source>
        <translation>Students exported</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="41"/>
        <source>拒否された操作</source>
        <translation>Refused operations</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="49"/>
        <source>年</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="51"/>
        <source>月</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="71"/>
        <source>管理者</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="71"/>
        <source>教員</source>
        <translation>Teacher</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="77"/>
        <source>大量アクセスの警告: {0}件</source>
        <translation>Bulk-access alerts: {0}</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="79"/>
        <source>  {0} {1} が {2}人分を{3}分以内に{4}</source>
        <translation>  {0} {1}: {2} students within {3} min ({4})</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="80"/>
        <source>閲覧</source>
        <translation>read</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="80"/>
        <source>出力</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="84"/>
        <source>出力: {0}件</source>
        <translation>Exports: {0}</translation>
    </message>
    <message>
        <location filename="../../app/gui/report_view.py" line="86"/>
        <source>ロック解除の失敗: {0}回</source>
        <translation>Failed unlocks: {0}</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <location filename="../../app/gui/admin_page.py" line="41"/>
        <source>利用者を追加</source>
        <translation>Add user</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="45"/>
        <source>教員</source>
        <translation>Teacher</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="46"/>
        <source>管理者</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="55"/>
        <source>ログイン名</source>
        <translation>Login</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="56"/>
        <source>表示名</source>
        <translation>Display name</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="57"/>
        <source>役割</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="58"/>
        <source>初期パスフレーズ</source>
        <translation>Initial passphrase</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="59"/>
        <source>もう一度</source>
        <translation>Again</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="68"/>
        <source>パスフレーズが一致しません</source>
        <translation>The passphrases do not match</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="71"/>
        <source>パスフレーズは{0}文字以上にしてください</source>
        <translation>The passphrase must have at least {0} characters</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <location filename="../../app/gui/admin_page.py" line="85"/>
        <source>この画面は管理者用です。</source>
        <translation>This screen is for administrators.</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="88"/>
        <location filename="../../app/gui/wizard.py" line="89"/>
        <source>ログイン名</source>
        <translation>Login</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="88"/>
        <location filename="../../app/gui/wizard.py" line="90"/>
        <source>表示名</source>
        <translation>Display name</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="88"/>
        <source>役割</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="92"/>
        <source>利用者を追加…</source>
        <translation>Add user…</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="94"/>
        <source>利用者</source>
        <translation>User</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="102"/>
        <source> 分</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="103"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="110"/>
        <location filename="../../app/gui/admin_page.py" line="289"/>
        <source>設定</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="116"/>
        <source>自動ロックまでの時間</source>
        <translation>Auto-lock after</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="117"/>
        <source>表示言語(この端末)</source>
        <translation>Language (this PC)</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="120"/>
        <source>学校暦</source>
        <translation>School calendar</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="125"/>
        <source>標準の授業日を登録(土日・祝日を除く)</source>
        <translation>Register the standard school days (no weekends or holidays)</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="131"/>
        <source>授業日</source>
        <translation>School day</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="131"/>
        <source>休日</source>
        <translation>Holiday</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="132"/>
        <source>臨時休校</source>
        <translation>School closure</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="134"/>
        <source>この日を設定</source>
        <translation>Set this day</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="140"/>
        <source>年度</source>
        <translation>School year</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="145"/>
        <source>日ごと</source>
        <translation>Single day</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="147"/>
        <source>担任と校長</source>
        <translation>Homeroom teachers and principal</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="151"/>
        <source>担任にする</source>
        <translation>Make homeroom teacher</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="153"/>
        <source>選んだ管理者を校長に指定</source>
        <translation>Make the selected administrator principal</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="160"/>
        <source>学級の担任</source>
        <translation>Homeroom teacher</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="167"/>
        <source>監査レポート(月ごとのアクセス)</source>
        <translation>Access report (per month)</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="171"/>
        <source>管理</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="214"/>
        <source>管理者</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="214"/>
        <source>教員</source>
        <translation>Teacher</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="242"/>
        <source>{0}年度の標準の授業日を登録しました</source>
        <translation>Registered the standard school days of school year {0}</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="249"/>
        <source>{0} を設定しました</source>
        <translation>{0} set</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="259"/>
        <source>担任を設定しました</source>
        <translation>Homeroom teacher set</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="267"/>
        <source>利用者の表で管理者を選んでください</source>
        <translation>Select an administrator in the user table</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="272"/>
        <source>{0} を校長に指定しました</source>
        <translation>{0} is now the principal</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="289"/>
        <source>次のロック解除から有効です</source>
        <translation>Takes effect at the next unlock</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="294"/>
        <source>表示言語</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../app/gui/admin_page.py" line="294"/>
        <source>次回の起動から切り替わります</source>
        <translation>Takes effect the next time the app starts</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="70"/>
        <source>最初の管理者</source>
        <translation>First administrator</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="71"/>
        <source>この管理者が教職員の利用者を登録します。</source>
        <translation>This administrator registers the staff as users.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="85"/>
        <source>パスフレーズは{0}文字以上。長い文の方が安全で覚えやすいです。</source>
        <translation>At least {0} characters. A long sentence is safer and easier to remember.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="91"/>
        <source>パスフレーズ</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="92"/>
        <source>もう一度</source>
        <translation>Again</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../app/gui/assign_dialog.py" line="32"/>
        <source>学級編成</source>
        <translation>Class assignment</translation>
    </message>
    <message>
        <location filename="../../app/gui/assign_dialog.py" line="44"/>
        <source>▲ 上へ</source>
        <translation>▲ Up</translation>
    </message>
    <message>
        <location filename="../../app/gui/assign_dialog.py" line="45"/>
        <source>▼ 下へ</source>
        <translation>▼ Down</translation>
    </message>
    <message>
        <location filename="../../app/gui/assign_dialog.py" line="51"/>
        <source>年度</source>
        <translation>School year</translation>
    </message>
    <message>
        <location filename="../../app/gui/assign_dialog.py" line="52"/>
        <source>学年</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../../app/gui/assign_dialog.py" line="53"/>
        <source>組</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../../app/gui/assign_dialog.py" line="63"/>
        <source>出席番号の順(ふりがな順。必要なら並べ替えてください)</source>
        <translation>Attendance-number order (kana order; rearrange if needed)</translation>
    </message>
</context>
<context>
    <name>AttendanceModel</name>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="144"/>
        <source>押印済み</source>
        <translation>Sealed</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="144"/>
        <source>未押印</source>
        <translation>Not sealed</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="147"/>
        <source>訂正前: {0} → {1} {2} 理由: {3}</source>
        <translation>Before correction: {0} → {1} {2} reason: {3}</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="175"/>
        <source>押印: {0} {1}</source>
        <translation>Sealed: {0} {1}</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="176"/>
        <source>授業日ではありません</source>
        <translation>Not a school day</translation>
    </message>
</context>
<context>
    <name>AttendancePage</name>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="292"/>
        <source>この日を押印 (Ctrl+Enter)</source>
        <translation>Seal this day (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="295"/>
        <source>訂正… (Ctrl+E)</source>
        <translation>Correct… (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="299"/>
        <source>月を締める</source>
        <translation>Close the month</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="302"/>
        <source>校長の確認印…</source>
        <translation>Principal&apos;s countersign…</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="305"/>
        <source>未記入の日…</source>
        <translation>Missing days…</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="336"/>
        <source>キー </source>
        <translation>Keys </translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="373"/>
        <source>&lt;b&gt;訂正の履歴&lt;/b&gt;</source>
        <translation>&lt;b&gt;Correction history&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="402"/>
        <source>学級がありません。管理者が「名簿」の学級編成で学級を作ってください。</source>
        <translation>There are no classes. An administrator creates them with Class assignment on the Roster page.</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="412"/>
        <source>{0}年{1}月</source>
        <translation>{1}/{0}</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="446"/>
        <source>(未押印 {0}日)</source>
        <translation>({0} days not sealed)</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="448"/>
        <source>この月: {0}{1} {2}</source>
        <translation>This month: {0}{1} {2}</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="458"/>
        <source>{0}年{1}月を締めました。</source>
        <translation>Closed {1}/{0}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="472"/>
        <source>校長の確認印</source>
        <translation>Principal&apos;s countersign</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="474"/>
        <source>{0} {1}年{2}月
在籍 {3}人 / 授業日数 {4}
出停・忌引等 {5} / 欠席 {6} / 遅刻 {7} / 早退 {8}
担任 {9} が締めました。この内容に確認印を押しますか?</source>
        <translation>{0} {2}/{1}
students {3} / school days {4}
suspension, mourning etc. {5} / absences {6} / late {7} / left early {8}
Closed by {9}. Countersign these records?</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="488"/>
        <source>確認印を押しました。</source>
        <translation>Countersigned.</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="516"/>
        <source>✓ 検証済み(全押印の署名と連鎖を確認)</source>
        <translation>✓ Verified (every seal&apos;s signature and chain checked)</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="519"/>
        <source>⚠ 検証できません: {0}</source>
        <translation>⚠ Verification failed: {0}</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="523"/>
        <source>学級の合計 — 授業日数 {0} / 出停・忌引等 {1} / 欠席 {2} / 遅刻 {3} / 早退 {4} / 未押印の日 {5}</source>
        <translation>Class totals — school days {0} / suspension, mourning etc. {1} / absences {2} / late {3} / left early {4} / unsealed days {5}</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="531"/>
        <source>この月の訂正はありません</source>
        <translation>No corrections this month</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="567"/>
        <source>この日は押印済みです。訂正は Ctrl+E(または右クリック)から行います。</source>
        <translation>This day is sealed. Correct it with Ctrl+E (or right-click).</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="570"/>
        <source>この日は授業日ではないか、この児童生徒の在籍期間外です。</source>
        <translation>Not a school day, or the student was not enrolled in this class that day.</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="590"/>
        <source>この日は既に押印済みです。</source>
        <translation>This day is already sealed.</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="594"/>
        <source>{0:%m月%d日} を押印しました。</source>
        <translation>Sealed {0:%m/%d}.</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="607"/>
        <source>未押印の日は数字キーでそのまま直せます。</source>
        <translation>An unsealed day can be changed directly with the number keys.</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="615"/>
        <source>訂正して押印しました。</source>
        <translation>Corrected and sealed.</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="621"/>
        <source>訂正…</source>
        <translation>Correct…</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="622"/>
        <source>この日を押印</source>
        <translation>Seal this day</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="231"/>
        <source>出欠の訂正</source>
        <translation>Correct attendance</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="240"/>
        <source>例: 保護者から連絡があり病欠と判明</source>
        <translation>e.g. the guardian called: absent through illness</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="243"/>
        <source>正しい出欠</source>
        <translation>Correct status</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="244"/>
        <source>備考</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="245"/>
        <source>訂正の理由(必須)</source>
        <translation>Reason (required)</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="246"/>
        <source>元の記録は取り消し線つきで残り、訂正はあなたの電子印で署名されます。</source>
        <translation>The original entry stays visible, struck through; the correction is signed with your digital seal.</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="248"/>
        <source>訂正して押印</source>
        <translation>Correct and seal</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="258"/>
        <source>訂正の理由を入力してください</source>
        <translation>Enter the reason for the correction</translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <location filename="../../app/gui/duplicates_dialog.py" line="28"/>
        <source>既にいる児童生徒</source>
        <translation>Existing students</translation>
    </message>
    <message>
        <location filename="../../app/gui/duplicates_dialog.py" line="33"/>
        <source>名簿の行</source>
        <translation>Ledger row</translation>
    </message>
    <message>
        <location filename="../../app/gui/duplicates_dialog.py" line="33"/>
        <source>既存の記録</source>
        <translation>Existing record</translation>
    </message>
    <message>
        <location filename="../../app/gui/duplicates_dialog.py" line="33"/>
        <source>扱い</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../app/gui/duplicates_dialog.py" line="44"/>
        <source>既存の記録に統合</source>
        <translation>Merge into the existing record</translation>
    </message>
    <message>
        <location filename="../../app/gui/duplicates_dialog.py" line="45"/>
        <source>取り込まない</source>
        <translation>Do not import</translation>
    </message>
    <message>
        <location filename="../../app/gui/duplicates_dialog.py" line="46"/>
        <source>別人として追加</source>
        <translation>Add as a different student</translation>
    </message>
    <message>
        <location filename="../../app/gui/duplicates_dialog.py" line="54"/>
        <source>同じ氏名(またはふりがな)と生年月日の児童生徒が既にいます。</source>
        <translation>Students with the same name (or kana) and birth date already exist.</translation>
    </message>
</context>
<context>
    <name>ExportPage</name>
    <message>
        <location filename="../../app/gui/export_page.py" line="36"/>
        <source>OneRoster 1.2 Japan Profile(zip)</source>
        <translation>OneRoster 1.2 Japan Profile (zip)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="41"/>
        <source>指導要録 出欠の記録(CSV)</source>
        <translation>Cumulative record: attendance (CSV)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="46"/>
        <source>指導要録 出欠の記録(PDF、学級)</source>
        <translation>Cumulative record: attendance (PDF, per class)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="51"/>
        <source>月別出欠集計(CSV)</source>
        <translation>Monthly attendance totals (CSV)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="56"/>
        <source>月別出欠集計(PDF)</source>
        <translation>Monthly attendance totals (PDF)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="59"/>
        <source>学級名簿(PDF)</source>
        <translation>Class roster (PDF)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="62"/>
        <source>児童生徒名簿(CSV)</source>
        <translation>Student list (CSV)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="96"/>
        <source>例: 教育委員会への学齢簿報告のため</source>
        <translation>e.g. enrolment report to the board of education</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="98"/>
        <source>大量の出力のときだけ: 別の管理者の承認番号</source>
        <translation>Only for large exports: a second administrator&apos;s approval number</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="99"/>
        <source>暗号化して出力</source>
        <translation>Export encrypted</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="105"/>
        <source>出力する内容</source>
        <translation>What to export</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="107"/>
        <source>種類</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="108"/>
        <source>年度</source>
        <translation>School year</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="109"/>
        <source>学級</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="110"/>
        <source>月</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="111"/>
        <source>出力先(許可済み)</source>
        <translation>Destination (allowed)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="112"/>
        <source>受取先(この鍵で暗号化)</source>
        <translation>Recipient (encrypted to this key)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="113"/>
        <source>理由(必須、監査ログに残ります)</source>
        <translation>Reason (required; kept in the audit log)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="114"/>
        <source>承認番号</source>
        <translation>Approval number</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="118"/>
        <source>個人情報は、管理者が許可したフォルダにだけ、受取先の公開鍵で暗号化して書き出します。USBメモリなど取り外せるドライブには書き出せません。出力はすべて監査ログに記録されます。</source>
        <translation>Personal data is written only to folders an administrator allowed, encrypted to the recipient&apos;s public key. Removable drives such as USB sticks are refused. Every export is recorded in the audit log.</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="124"/>
        <source>出力</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="135"/>
        <source>出力は管理者だけが行えます。</source>
        <translation>Only administrators can export.</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="156"/>
        <source>(学校全体)</source>
        <translation>(whole school)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="161"/>
        <source>出力先が登録されていません(gakuseki policy allow-destination DIR)</source>
        <translation>No destination is allowed yet (gakuseki policy allow-destination DIR)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="163"/>
        <source>受取先の公開鍵が登録されていません(gakuseki recipient add NAME age1…)</source>
        <translation>No recipient&apos;s public key is registered yet (gakuseki recipient add NAME age1…)</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="170"/>
        <source>出力する理由を入力してください。</source>
        <translation>Enter the reason for this export.</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="196"/>
        <source>出力しています…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../app/gui/export_page.py" line="199"/>
        <source>暗号化して出力しました: {0}({1}行)</source>
        <translation>Exported (encrypted): {0} ({1} rows)</translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <location filename="../../app/gui/import_page.py" line="65"/>
        <source>ファイルを選ぶ…</source>
        <translation>Choose files…</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="68"/>
        <source>FAX受信フォルダを監視…</source>
        <translation>Watch the fax folder…</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="80"/>
        <source>中止</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="110"/>
        <source>次の要確認へ (F8)</source>
        <translation>Next to check (F8)</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="112"/>
        <source>この値で確定 (Ctrl+Enter)</source>
        <translation>Accept this value (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="114"/>
        <source>行を除外/戻す (Ctrl+Del)</source>
        <translation>Exclude/include row (Ctrl+Del)</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="116"/>
        <source>名簿に登録</source>
        <translation>Add to the roster</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="119"/>
        <source>元に戻す (Ctrl+Z)</source>
        <translation>Undo (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="121"/>
        <location filename="../../app/gui/import_page.py" line="481"/>
        <source>取込をやめる</source>
        <translation>Discard this import</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="135"/>
        <source>&lt;b&gt;取込待ち&lt;/b&gt;(ここにファイルをドロップ)</source>
        <translation>&lt;b&gt;Import queue&lt;/b&gt; (drop files here)</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="207"/>
        <source>待機</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="207"/>
        <source>読み取り中</source>
        <translation>Reading</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="207"/>
        <source>要確認</source>
        <translation>To check</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="208"/>
        <source>エラー</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="224"/>
        <source>名簿ファイルを選ぶ</source>
        <translation>Choose ledger files</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="224"/>
        <source>名簿 (*.tif *.tiff *.pdf *.png *.jpg *.jpeg)</source>
        <translation>Ledgers (*.tif *.tiff *.pdf *.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="229"/>
        <source>FAX受信フォルダ</source>
        <translation>Fax folder</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="238"/>
        <source>監視中: {0}</source>
        <translation>Watching: {0}</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="277"/>
        <source>{0} を読み取っています…</source>
        <translation>Reading {0}…</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="283"/>
        <source>ページ {0}/{1} {2}</source>
        <translation>Page {0}/{1} {2}</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="288"/>
        <source>中止しています…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="305"/>
        <source>{0} を読み取りました</source>
        <translation>{0} read</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="317"/>
        <source>中止しました。何も保存していません。</source>
        <translation>Cancelled. Nothing was saved.</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="375"/>
        <source>{0}行 / 要確認 {1}か所</source>
        <translation>{0} rows / {1} cells to check</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="381"/>
        <source>取り込まれない欄: {0}(見出しの読めない列があります。原本で確認してください)</source>
        <translation>Not imported: {0} (a column&apos;s header could not be read; check the original)</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="387"/>
        <source>この名簿にない欄: {0}(登録に必要です。登録の前に入力または確認してください)</source>
        <translation>Not in this ledger: {0} (needed to register; type or confirm them first)</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="390"/>
        <source>この名簿にない欄: {0}(登録後に名簿画面で入力できます)</source>
        <translation>Not in this ledger: {0} (enter it in the roster after registering)</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="398"/>
        <source>要確認のセルをすべて確認すると登録できます</source>
        <translation>Check every flagged cell to add the rows</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="402"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="406"/>
        <source>要確認: {0}</source>
        <translation>Check: {0}</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="409"/>
        <source>ほかの読み: {0}(画像と同じなら Ctrl+1 で採用)</source>
        <translation>Other reading: {0} (Ctrl+1 takes it if it matches the image)</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="472"/>
        <source>名簿に登録しました: 追加 {0}人、統合 {1}人、除外 {2}人</source>
        <translation>Added to the roster: {0} new, {1} merged, {2} excluded</translation>
    </message>
    <message>
        <location filename="../../app/gui/import_page.py" line="481"/>
        <source>この名簿の読み取り結果を破棄します。よろしいですか?</source>
        <translation>Discard what was read from this ledger?</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/gui/main_window.py" line="48"/>
        <source>学籍 Gakuseki</source>
        <translation>Gakuseki</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="68"/>
        <location filename="../../app/gui/main_window.py" line="194"/>
        <source>出力</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="65"/>
        <source>名簿</source>
        <translation>Roster</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="66"/>
        <source>出席簿</source>
        <translation>Attendance</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="67"/>
        <source>取込</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="69"/>
        <source>管理</source>
        <translation>Admin</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="88"/>
        <source>操作</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="92"/>
        <source>ロック (Ctrl+L)</source>
        <translation>Lock (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="95"/>
        <source>画面をロックします (Ctrl+L)</source>
        <translation>Lock the screen (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="98"/>
        <location filename="../../app/gui/main_window.py" line="254"/>
        <source>学籍について</source>
        <translation>About Gakuseki</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="184"/>
        <source>バックアップを作成しました: {0}</source>
        <translation>Backup written: {0}</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="193"/>
        <source>{0} {1} が {2}分以内に {3}人分の個人情報を{4}しました(基準 {5}人)</source>
        <translation>{0} {1} {4} the personal data of {3} students within {2} minutes (threshold {5})</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="194"/>
        <source>閲覧</source>
        <translation>read</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="199"/>
        <source>大量アクセスの警告</source>
        <translation>Bulk-access alert</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="201"/>
        <source>心当たりがない場合は、利用者に確認し、管理画面の監査レポートを見てください。</source>
        <translation>If this is unexpected, ask the user and look at the access report on the Admin page.</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="229"/>
        <source>ロック中</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="232"/>
        <source>管理者</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="232"/>
        <source>教員</source>
        <translation>Teacher</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="234"/>
        <source>利用者: {0}({1})</source>
        <translation>User: {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="235"/>
        <source>ロック解除中</source>
        <translation>Unlocked</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="245"/>
        <source>(ロック中)</source>
        <translation>(locked)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="256"/>
        <source>&lt;b&gt;学籍 Gakuseki&lt;/b&gt; {0}&lt;br&gt;入学予定者名簿の読み取り、暗号化された学籍、電子押印の出席簿&lt;br&gt;&lt;br&gt;ストア: {1}&lt;br&gt;データ形式: {2} / {3}</source>
        <translation>&lt;b&gt;Gakuseki&lt;/b&gt; {0}&lt;br&gt;Enrollment-ledger OCR, encrypted school records, digitally sealed attendance registers&lt;br&gt;&lt;br&gt;Store: {1}&lt;br&gt;Data format: {2} / {3}</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="264"/>
        <source>印刷はできません</source>
        <translation>Printing is not available</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="266"/>
        <source>個人情報の紙での持ち出しを防ぐため、学籍では印刷できません。書類が必要なときは、管理者に「出力」から暗号化した出力を依頼してください。</source>
        <translation>To keep personal data from leaving on paper, Gakuseki cannot print. If you need a document, ask an administrator for an encrypted export.</translation>
    </message>
</context>
<context>
    <name>MissingDialog</name>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="205"/>
        <source>未記入・未押印の日</source>
        <translation>Days not marked or sealed</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="210"/>
        <source>未記入</source>
        <translation>not marked</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="210"/>
        <source>未押印</source>
        <translation>Not sealed</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="213"/>
        <source>未記入の日はありません</source>
        <translation>No missing days</translation>
    </message>
</context>
<context>
    <name>RecoveryPage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="106"/>
        <source>回復キー</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="108"/>
        <source>パスフレーズを忘れたときに学校の記録を開く唯一の方法です。一度だけ表示します。</source>
        <translation>The only way to open the school&apos;s records if a passphrase is forgotten. It is shown only once.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="110"/>
        <source>作成しています…</source>
        <translation>Creating…</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="120"/>
        <source>紙に書き写し、金庫など安全な場所に保管しました</source>
        <translation>I have written it on paper and stored it somewhere safe, such as the safe</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <location filename="../../app/gui/review_model.py" line="117"/>
        <source>読み取り: {0}</source>
        <translation>Read: {0}</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="119"/>
        <source>確からしさ: {0:.0%}</source>
        <translation>Confidence: {0:.0%}</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="121"/>
        <source>要確認の理由: {0}</source>
        <translation>Flagged because: {0}</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="147"/>
        <source> 除外</source>
        <translation> excluded</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="247"/>
        <source>確認してください</source>
        <translation>Please check this value</translation>
    </message>
</context>
<context>
    <name>RosterPage</name>
    <message>
        <location filename="../../app/gui/roster.py" line="207"/>
        <source>氏名・ふりがなで検索(ひらがな・カタカナどちらでも)</source>
        <translation>Search by name or kana (hiragana or katakana)</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="214"/>
        <source>すべての状況</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="239"/>
        <source>保存 (Ctrl+S)</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="242"/>
        <source>元に戻す (Ctrl+Z)</source>
        <translation>Undo (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="246"/>
        <source>学級編成…</source>
        <translation>Assign to class…</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="276"/>
        <source>&lt;b&gt;詳細&lt;/b&gt;</source>
        <translation>&lt;b&gt;Details&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="307"/>
        <source>{0}年度</source>
        <translation>School year {0}</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="317"/>
        <source>すべての学級</source>
        <translation>All classes</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="348"/>
        <source>{0}人 / 全{1}人</source>
        <translation>{0} of {1} students</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="386"/>
        <source>学級に入れる児童生徒を選んでください</source>
        <translation>Select the students to put into the class</translation>
    </message>
</context>
<context>
    <name>SchoolPage</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="32"/>
        <source>学校</source>
        <translation>School</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="33"/>
        <source>学校名と、文部科学省の学校コード(13桁)を入力してください。</source>
        <translation>Enter the school name and its 13-character MEXT school code.</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="41"/>
        <source>学校名</source>
        <translation>School name</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="42"/>
        <source>学校コード</source>
        <translation>School code</translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="56"/>
        <source>✓ 正しい学校コードです</source>
        <translation>✓ Valid school code</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../app/gui/wizard.py" line="140"/>
        <source>学籍 — はじめての設定</source>
        <translation>Gakuseki — first set-up</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../app/gui/unlock.py" line="36"/>
        <source>学籍 — ロック解除</source>
        <translation>Gakuseki — unlock</translation>
    </message>
    <message>
        <location filename="../../app/gui/unlock.py" line="61"/>
        <source>回復キー</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <location filename="../../app/gui/unlock.py" line="72"/>
        <source>利用者</source>
        <translation>User</translation>
    </message>
    <message>
        <location filename="../../app/gui/unlock.py" line="73"/>
        <source>パスフレーズ</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../app/gui/unlock.py" line="76"/>
        <source>回復キーで開く…</source>
        <translation>Open with the recovery key…</translation>
    </message>
    <message>
        <location filename="../../app/gui/unlock.py" line="82"/>
        <source>ロック解除</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../app/gui/unlock.py" line="84"/>
        <source>終了</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../app/gui/unlock.py" line="89"/>
        <source>&lt;b&gt;学籍&lt;/b&gt; — 児童生徒の記録は暗号化されています</source>
        <translation>&lt;b&gt;Gakuseki&lt;/b&gt; — student records are encrypted</translation>
    </message>
    <message>
        <location filename="../../app/gui/unlock.py" line="112"/>
        <source>利用者とパスフレーズを入力してください</source>
        <translation>Enter the user and passphrase</translation>
    </message>
    <message>
        <location filename="../../app/gui/unlock.py" line="116"/>
        <source>確認しています…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../app/gui/errors.py" line="32"/>
        <source>学籍</source>
        <translation>Gakuseki</translation>
    </message>
    <message>
        <location filename="../../app/gui/errors.py" line="38"/>
        <source>予期しないエラー</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location filename="../../app/gui/errors.py" line="40"/>
        <source>予期しないエラーが発生しました。お手数ですが管理者に連絡してください。</source>
        <translation>An unexpected error occurred. Please tell your administrator.</translation>
    </message>
    <message>
        <location filename="../../app/gui/errors.py" line="42"/>
        <source>詳細は次のファイルに記録しました: {0}</source>
        <translation>Details were written to: {0}</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="62"/>
        <source>欠席</source>
        <extracomment>one key per status (digits, as on a numeric keypad), in the order of the paper register</extracomment>
        <translation>Absent</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="63"/>
        <source>停忌</source>
        <translation>Susp./mourn.</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="64"/>
        <source>遅刻</source>
        <translation>Late</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="65"/>
        <source>早退</source>
        <translation>Early</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="66"/>
        <source>出席</source>
        <translation>Present</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="262"/>
        <source>学校暦を開く</source>
        <translation>Open the school calendar</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="263"/>
        <source>担任の設定を開く</source>
        <translation>Open homeroom settings</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="264"/>
        <source>学級編成を開く</source>
        <translation>Open class assignment</translation>
    </message>
    <message>
        <location filename="../../app/gui/attendance_page.py" line="265"/>
        <source>利用者の設定を開く</source>
        <translation>Open user settings</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="32"/>
        <location filename="../../app/gui/roster.py" line="44"/>
        <source>番号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="33"/>
        <location filename="../../app/gui/roster.py" line="122"/>
        <source>姓</source>
        <translation>Family name</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="34"/>
        <location filename="../../app/gui/roster.py" line="123"/>
        <source>名</source>
        <translation>Given name</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="35"/>
        <location filename="../../app/gui/roster.py" line="124"/>
        <source>せい</source>
        <translation>Family kana</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="36"/>
        <location filename="../../app/gui/roster.py" line="125"/>
        <source>めい</source>
        <translation>Given kana</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="37"/>
        <location filename="../../app/gui/roster.py" line="47"/>
        <location filename="../../app/gui/roster.py" line="126"/>
        <source>性別</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="38"/>
        <location filename="../../app/gui/roster.py" line="48"/>
        <location filename="../../app/gui/roster.py" line="127"/>
        <source>生年月日</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="39"/>
        <location filename="../../app/gui/roster.py" line="128"/>
        <source>保護者氏名</source>
        <translation>Guardian</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="40"/>
        <location filename="../../app/gui/roster.py" line="129"/>
        <source>住所</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="41"/>
        <location filename="../../app/gui/roster.py" line="130"/>
        <source>電話番号</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../app/gui/review_model.py" line="42"/>
        <location filename="../../app/gui/roster.py" line="131"/>
        <source>出身園・校</source>
        <translation>Previous school</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="43"/>
        <source>学級</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="45"/>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="46"/>
        <source>ふりがな</source>
        <translation>Kana</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="49"/>
        <location filename="../../app/gui/roster.py" line="177"/>
        <source>状況</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="53"/>
        <source>入学予定</source>
        <translation>Entering</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="54"/>
        <source>在籍</source>
        <translation>Enrolled</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="55"/>
        <source>転出</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="56"/>
        <source>卒業</source>
        <translation>Graduated</translation>
    </message>
    <message>
        <location filename="../../app/gui/roster.py" line="132"/>
        <source>学籍番号</source>
        <translation>Student number</translation>
    </message>
</context>
<context>
    <name>page</name>
    <message>
        <location filename="../../app/gui/roster.py" line="145"/>
        <source>{0} の編集</source>
        <translation>Edit of {0}</translation>
    </message>
</context>
<context>
    <name>reasons</name>
    <message>
        <location filename="../../app/gui/reasons.py" line="17"/>
        <source>2つの読み取りが一致しません</source>
        <translation>The two readings disagree</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="18"/>
        <source>文字がはっきり読み取れません</source>
        <translation>The characters are not clearly legible</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="22"/>
        <source>空欄です(読み取れませんでした)</source>
        <translation>Empty (nothing could be read)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="32"/>
        <source>番号として読めません</source>
        <translation>Not readable as a number</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="33"/>
        <source>番号が前後の行と続いていません</source>
        <translation>The number does not follow on from the rows around it</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="15"/>
        <source>異体字(髙・﨑など)かもしれません。画像で字形を確かめてください</source>
        <translation>May be a variant kanji (髙, 﨑 …): check the shape in the image</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="19"/>
        <source>一方の読み取りは形式に合わないため、もう一方を表示しています</source>
        <translation>One read does not fit the field&apos;s format; the other read is shown</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="23"/>
        <source>この列の見出しがページによって違って読めました。列を取り違えていないか原本で確認してください</source>
        <translation>This column&apos;s header reads differently on different pages; check on the original that the columns are not mixed up</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="26"/>
        <source>名簿にこの欄がありません。登録に必要なので入力してください</source>
        <translation>The ledger has no such column; it is needed to register, so type it in</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="29"/>
        <source>名簿にふりがながないため、氏名の辞書の読みを候補として入れました</source>
        <translation>The ledger has no furigana: the dictionary reading of the name is offered</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="35"/>
        <source>間の空いていない氏名を、ふりがなと辞書の読みで姓と名に分けました</source>
        <translation>The name was printed without a gap; it was split into family and given name by its reading</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="38"/>
        <source>間の空いていない氏名を、よくある姓と名前の辞書で姓と名に分けました</source>
        <translation>The name was printed without a gap; it was split into family and given name by the common family names and the name dictionary</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="42"/>
        <source>保護者の姓と違います</source>
        <translation>Differs from the guardian&apos;s family name</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="43"/>
        <source>読み取れない姓に代えて、ふりがなと合う保護者の姓を表示しています</source>
        <translation>The family name was unreadable; the guardian&apos;s family name, which matches the furigana, is shown</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="46"/>
        <source>姓と名の区切りが見つかりません</source>
        <translation>No gap found between family and given name</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="47"/>
        <source>ふりがなと合いません</source>
        <translation>Does not match the furigana</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="48"/>
        <source>標準モードのファクスでは「一」などの横画が消えることがあります（例: 陽一が陽に）</source>
        <translation>A standard-mode fax can drop a flat stroke such as 一 (e.g. 陽一 read as 陽)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="51"/>
        <source>読み取れた字がふりがなと合わないため、その読みの名前で印字の形に最も近い字を候補として入れました</source>
        <translation>The characters read do not fit the furigana, so the spelling of that reading that looks most like the print is offered</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="54"/>
        <source>読み取った名が印字と合わないため、一字違いの名前で印字の形に最も近いものを候補として入れました</source>
        <translation>The given name read does not match the print; the name a single kanji away that looks most like it is offered</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="57"/>
        <source>読み取った姓がよくある姓でないため、一字違いのよくある姓で印字に最も近いものを候補として入れました</source>
        <translation>The family name read is not a common one; the common family name a single kanji away that looks most like the print is offered</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="60"/>
        <source>名前の辞書にない名です</source>
        <translation>A given name the name dictionary does not know</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="61"/>
        <source>かなと漢字の混ざり方が不自然です</source>
        <translation>An unusual mix of kana and kanji</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="62"/>
        <source>名前に使わない文字が入っています</source>
        <translation>Contains characters not used in names</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="63"/>
        <source>ふりがなの姓と名の区切りが確かではありません</source>
        <translation>Unsure where the family and given furigana divide</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="64"/>
        <source>氏名の辞書の読みと合いません</source>
        <translation>Does not match the dictionary reading of the name</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="65"/>
        <source>読み取れなかったため、辞書の読みを候補として入れました</source>
        <translation>Unreadable: the dictionary reading is offered as a suggestion</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="66"/>
        <source>かな以外の文字が入っています</source>
        <translation>Contains characters that are not kana</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="67"/>
        <source>読みの始まりとしてありえない文字です</source>
        <translation>A reading cannot start with this character</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="68"/>
        <source>ふりがなの長さが不自然です</source>
        <translation>The furigana has an unusual length</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="69"/>
        <source>ふりがなが読み取れません</source>
        <translation>The furigana could not be read</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="70"/>
        <source>氏名が読み取れなかったため、ふりがなを確かめられません</source>
        <translation>The name could not be read, so the furigana cannot be checked against it</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="71"/>
        <source>男・女として読めません</source>
        <translation>Not readable as 男 or 女</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="72"/>
        <source>字形と読み取りが違います</source>
        <translation>The glyph and the reading disagree</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="73"/>
        <source>字形の見本から推定しました</source>
        <translation>Guessed from glyph samples</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="74"/>
        <source>男・女のどちらか判別できません</source>
        <translation>Cannot tell 男 from 女</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="75"/>
        <source>生年月日が読み取れません</source>
        <translation>The date of birth could not be read</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="76"/>
        <source>日付として読めません</source>
        <translation>Not readable as a date</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="77"/>
        <source>存在しない日付です</source>
        <translation>This date does not exist</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="78"/>
        <source>ありえない日付です</source>
        <translation>An impossible date</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="79"/>
        <source>元号の年が読み取れません</source>
        <translation>The era year could not be read</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="80"/>
        <source>その元号が始まる前の日付です</source>
        <translation>A date before that era began</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="81"/>
        <source>その元号が終わった後の日付です</source>
        <translation>A date after that era ended</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="82"/>
        <source>この学年の生まれ(4月2日〜翌4月1日)ではありません</source>
        <translation>Not born in this school year&apos;s range (2 April to 1 April)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="83"/>
        <source>一部の文字が読めないため、日付を推定しました</source>
        <translation>Some characters were unreadable: the date is a guess</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="84"/>
        <source>年が読めないため、学年から推定しました</source>
        <translation>The year was unreadable: guessed from the school year</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="85"/>
        <source>読み取った日付はこの学年の生まれではないため、数字が一つ欠けたものとみて学年の日付に直しました（元の読みは「ほかの読み」に残しています。原本で確認してください）</source>
        <translation>The date as read is outside this class, so a lost digit was assumed and the class&apos;s date put in (the read is kept as the other reading; check the original)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="90"/>
        <source>電話番号の形になっていません</source>
        <translation>Not in the form of a phone number</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="91"/>
        <source>日本の電話番号として正しくありません</source>
        <translation>Not a valid Japanese phone number</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="92"/>
        <source>先頭の0が別の数字に読まれていたため、0に直しました（原本で確認してください）</source>
        <translation>The leading 0 was read as another digit; it was put back as 0 (check the original)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="95"/>
        <source>辞書にない市区町村名です</source>
        <translation>A municipality the dictionary does not know</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="96"/>
        <source>辞書にない郡名です</source>
        <translation>A county (郡) name the dictionary does not know</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="97"/>
        <source>この市にない区名だったため、一字違いの区名に直しました（原本で確認してください）</source>
        <translation>The city has no ward of the name read; it was corrected to the city&apos;s ward one character away (check the original)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="100"/>
        <source>実在しない市区町村名だったため、一字違いの実在する名前に直しました（原本で確認してください）</source>
        <translation>No such municipality exists; corrected to the real one a single character away (check the original)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="103"/>
        <source>全国の町名にない名前です(読み違いの疑い)</source>
        <translation>No town in Japan has this name (possibly misread)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="104"/>
        <source>全国の町名にない名前だったため、一字違いの実在する町名に直しました（原本で確認してください）</source>
        <translation>No town in Japan has this name; corrected to the real town a single character away (check the original)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="107"/>
        <source>形の似た文字と読み違えているかもしれません</source>
        <translation>May be misread as a similar-looking character</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="108"/>
        <source>丁目・番・号の形が不自然です</source>
        <translation>The block number (丁目・番・号) looks wrong</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="109"/>
        <source>崩れていた丁目・番・号の文字を補いました</source>
        <translation>The garbled 丁目/番/号 characters of the block number were filled in</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="110"/>
        <source>番地がありません</source>
        <translation>No block number</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="111"/>
        <source>市区町村がありません</source>
        <translation>No municipality</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="112"/>
        <source>住所に使わない文字が入っています</source>
        <translation>Contains characters not used in addresses</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="113"/>
        <source>園・学校名の終わり方が不自然です</source>
        <translation>Does not end like a school or nursery name</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="114"/>
        <source>「保育園」などの部分を補いました</source>
        <translation>The school kind (保育園 …) was mended</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="115"/>
        <source>園・学校名に使わない文字が入っています</source>
        <translation>Contains characters not used in school names</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="116"/>
        <source>園名の地名が全国の町名になかったため、一字違いの実在する町名に直しました（原本で確認してください）</source>
        <translation>The place in the school&apos;s name is no town in Japan; corrected to the real town a single character away (check the original)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="119"/>
        <source>園・学校名のひらがなが言葉になっていません(読み違いの疑い)</source>
        <translation>The school name&apos;s hiragana make no word (likely misread)</translation>
    </message>
    <message>
        <location filename="../../app/gui/reasons.py" line="139"/>
        <source>。</source>
        <translation>; </translation>
    </message>
</context>
</TS>
