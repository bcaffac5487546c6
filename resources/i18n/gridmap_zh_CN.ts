<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AttributeTable</name>
    <message>
      <source>Filter expression, e.g. "state" = '破损'</source>
      <translation>筛选表达式，例如 "state" = '破损'</translation>
    </message>
    <message>
      <source>Zoom to selected features</source>
      <translation>缩放到所选要素</translation>
    </message>
    <message>
      <source>ID</source>
      <translation>序号</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Class</source>
      <translation>部件类别</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Competent unit</source>
      <translation>主管部门</translation>
    </message>
    <message>
      <source>Owner unit</source>
      <translation>权属单位</translation>
    </message>
    <message>
      <source>Maintainer unit</source>
      <translation>养护单位</translation>
    </message>
    <message>
      <source>Unit grid</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Currency</source>
      <translation>使用状态</translation>
    </message>
    <message>
      <source>Initial survey date</source>
      <translation>初始普查日期</translation>
    </message>
    <message>
      <source>Change date</source>
      <translation>变更日期</translation>
    </message>
    <message>
      <source>Data source</source>
      <translation>数据来源</translation>
    </message>
    <message>
      <source>Photo</source>
      <translation>照片</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Responsibility grid</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Area (m²)</source>
      <translation>面积（平方米）</translation>
    </message>
    <message>
      <source>Valid from</source>
      <translation>生效时间</translation>
    </message>
    <message>
      <source>Valid to</source>
      <translation>失效时间</translation>
    </message>
    <message>
      <source>Street / town</source>
      <translation>街道/乡镇</translation>
    </message>
    <message>
      <source>District</source>
      <translation>区县</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>层级</translation>
    </message>
    <message>
      <source>Parent</source>
      <translation>上级</translation>
    </message>
    <message>
      <source>Locked</source>
      <translation>锁定</translation>
    </message>
    <message>
      <source>Responsible unit</source>
      <translation>处置单位</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>问题描述</translation>
    </message>
    <message>
      <source>Features visible on the map</source>
      <translation>地图上可见的要素</translation>
    </message>
    <message>
      <source>All features</source>
      <translation>全部要素</translation>
    </message>
    <message>
      <source>Selected features</source>
      <translation>选中的要素</translation>
    </message>
    <message>
      <source>Zoom to feature</source>
      <translation>缩放到要素</translation>
    </message>
    <message>
      <source>Select on the map</source>
      <translation>在地图上选中</translation>
    </message>
    <message>
      <source>Copy value</source>
      <translation>复制值</translation>
    </message>
    <message>
      <source>{0:,} features match</source>
      <translation>{0:,} 个要素符合条件</translation>
    </message>
    <message>
      <source>Invalid expression: {0}</source>
      <translation>表达式无效：{0}</translation>
    </message>
    <message>
      <source>Invalid filter: unknown field {0}</source>
      <translation>筛选条件无效：未知字段 {0}</translation>
    </message>
    <message>
      <source>Invalid filter: {0}</source>
      <translation>筛选条件无效：{0}</translation>
    </message>
  </context>
  <context>
    <name>CasePanel</name>
    <message>
      <source>Choose a case in the notifications or on the map.</source>
      <translation>请在新案件列表或地图上选择一个案件。</translation>
    </message>
    <message>
      <source>Reason (needed to reject, extend, rework, escalate or dispatch elsewhere)</source>
      <translation>原因（不予立案、延期、返工、上报上级或改派时必填）</translation>
    </message>
    <message>
      <source> working hours</source>
      <translation> 工作小时</translation>
    </message>
    <message>
      <source>Dispatch to</source>
      <translation>派遣给</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Close type</source>
      <translation>结案类型</translation>
    </message>
    <message>
      <source>Extension</source>
      <translation>延期</translation>
    </message>
    <message>
      <source>Escalate to</source>
      <translation>上报至</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>上报</translation>
    </message>
    <message>
      <source>Register (立案)</source>
      <translation>立案</translation>
    </message>
    <message>
      <source>Reject (不予立案)</source>
      <translation>不予立案</translation>
    </message>
    <message>
      <source>Dispatch</source>
      <translation>派遣</translation>
    </message>
    <message>
      <source>Handling done</source>
      <translation>处置完毕</translation>
    </message>
    <message>
      <source>Check passed</source>
      <translation>核查通过</translation>
    </message>
    <message>
      <source>Check failed: rework</source>
      <translation>核查未通过：返工</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>结案</translation>
    </message>
    <message>
      <source>Hold</source>
      <translation>挂账</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>恢复办理</translation>
    </message>
    <message>
      <source>Extend deadline</source>
      <translation>延期</translation>
    </message>
    <message>
      <source>Escalate (上报)</source>
      <translation>上报上级</translation>
    </message>
    <message>
      <source>Escalated: {0} → {1}</source>
      <translation>上报上级：{0} → {1}</translation>
    </message>
    <message>
      <source>Deadline {0} — {1:.1f} working hours left</source>
      <translation>处置时限 {0} — 剩余 {1:.1f} 个工作小时</translation>
    </message>
    <message>
      <source>Step</source>
      <translation>环节</translation>
    </message>
    <message>
      <source>When</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Who</source>
      <translation>办理人</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Sign in first: every step records who took it.</source>
      <translation>请先登录：每个环节都记录办理人。</translation>
    </message>
    <message>
      <source>Deadline {0}</source>
      <translation>处置时限 {0}</translation>
    </message>
    <message>
      <source>Deadline {0} — overdue by {1:.1f} working hours</source>
      <translation>处置时限 {0} — 已超时 {1:.1f} 个工作小时</translation>
    </message>
    <message>
      <source>Level: {0}</source>
      <translation>所在层级：{0}</translation>
    </message>
    <message>
      <source> (suggested)</source>
      <translation>（建议）</translation>
    </message>
    <message>
      <source>Case {0} was changed by someone else since you opened it ({1}, {2}); it has been reloaded, please decide again.</source>
      <translation>案件 {0} 在您打开后已被他人办理（{1}，{2}），已重新载入，请重新判断。</translation>
    </message>
    <message>
      <source>Case {0} was changed by someone else meanwhile; it has been reloaded, please decide again.</source>
      <translation>案件 {0} 已被他人办理，已重新载入，请重新判断。</translation>
    </message>
    <message>
      <source>Reject case {0}? It will not be registered and is closed.</source>
      <translation>确定不予立案 {0}？该案件将不立案并结束。</translation>
    </message>
    <message>
      <source>Close case {0}? A closed case cannot be reopened.</source>
      <translation>确定结案 {0}？结案后不能重新打开。</translation>
    </message>
    <message>
      <source>(from the case's step times)</source>
      <translation>（据案件各环节时间）</translation>
    </message>
  </context>
  <context>
    <name>CensusDialog</name>
    <message>
      <source>New components</source>
      <translation>新增部件</translation>
    </message>
    <message>
      <source>Moved beyond the tolerance</source>
      <translation>位移超过限差</translation>
    </message>
    <message>
      <source>Changed fields</source>
      <translation>属性变更</translation>
    </message>
    <message>
      <source>Not found by the survey (retired if accepted)</source>
      <translation>普查未找到（接受则注销）</translation>
    </message>
    <message>
      <source>Census merge</source>
      <translation>普查更新合并</translation>
    </message>
    <message>
      <source>A survey of an area: shapefile, GeoPackage, GeoJSON or CSV</source>
      <translation>某区域的普查成果：Shapefile、GeoPackage、GeoJSON 或 CSV</translation>
    </message>
    <message>
      <source>Choose...</source>
      <translation>选择...</translation>
    </message>
    <message>
      <source>Survey file</source>
      <translation>普查文件</translation>
    </message>
    <message>
      <source>the file's own (or e.g. EPSG:4546)</source>
      <translation>文件自带（或如 EPSG:4546）</translation>
    </message>
    <message>
      <source>Coordinate system</source>
      <translation>坐标系</translation>
    </message>
    <message>
      <source>Moved beyond</source>
      <translation>位移限差</translation>
    </message>
    <message>
      <source>Compare with the register</source>
      <translation>与部件台账比对</translation>
    </message>
    <message>
      <source>Nothing is written until you accept groups and write them.</source>
      <translation>在您接受并写入各组之前，不会写入任何数据。</translation>
    </message>
    <message>
      <source>Write the accepted groups</source>
      <translation>写入已接受的组</translation>
    </message>
    <message>
      <source>Survey files (*.shp *.gpkg *.geojson *.json *.csv *.zip)</source>
      <translation>普查文件 (*.shp *.gpkg *.geojson *.json *.csv *.zip)</translation>
    </message>
    <message>
      <source>Component</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Class</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>What changes</source>
      <translation>变更内容</translation>
    </message>
    <message>
      <source>Tick the groups to accept first.</source>
      <translation>请先勾选要接受的组。</translation>
    </message>
    <message>
      <source>{0} unit grids surveyed; {1} components as registered; {2} rows fit no group. Tick the groups to accept.</source>
      <translation>普查涉及 {0} 个单元网格；{1} 个部件与台账一致；{2} 行无法归组。请勾选要接受的组。</translation>
    </message>
    <message>
      <source>Written: {0}. Compare again to see what remains.</source>
      <translation>已写入：{0}。再次比对可查看剩余差异。</translation>
    </message>
    <message>
      <source>nothing</source>
      <translation>无</translation>
    </message>
    <message>
      <source>moved {0} m</source>
      <translation>位移 {0} 米</translation>
    </message>
    <message>
      <source>row {0}</source>
      <translation>第 {0} 行</translation>
    </message>
    <message>
      <source>(row {0})</source>
      <translation>（第 {0} 行）</translation>
    </message>
  </context>
  <context>
    <name>ComponentEditor</name>
    <message>
      <source>The class of the components you add</source>
      <translation>新增部件的类别</translation>
    </message>
    <message>
      <source>Edit components</source>
      <translation>编辑部件</translation>
    </message>
    <message>
      <source>Add component</source>
      <translation>新增部件</translation>
    </message>
    <message>
      <source>Move or reshape component</source>
      <translation>移动或修整部件</translation>
    </message>
    <message>
      <source>Edit attributes of the selected component...</source>
      <translation>编辑所选部件的属性...</translation>
    </message>
    <message>
      <source>Retire selected components...</source>
      <translation>注销所选部件...</translation>
    </message>
    <message>
      <source>Save component edits</source>
      <translation>保存部件编辑</translation>
    </message>
    <message>
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <source>Redo</source>
      <translation>重做</translation>
    </message>
    <message>
      <source>Component editor</source>
      <translation>部件编辑</translation>
    </message>
    <message>
      <source>Editing components: add, move or reshape them, change their attributes, retire them; nothing is written until you save.</source>
      <translation>正在编辑部件：可新增、移动或修整、修改属性、注销；保存之前不写入数据库。</translation>
    </message>
    <message>
      <source>Move component</source>
      <translation>移动部件</translation>
    </message>
    <message>
      <source>Retire component</source>
      <translation>注销部件</translation>
    </message>
    <message>
      <source>Retire components</source>
      <translation>注销部件</translation>
    </message>
    <message>
      <source>Why (kept with the previous versions; optional):</source>
      <translation>变更原因（随历史版本保存；可不填）：</translation>
    </message>
    <message>
      <source>Your role may not maintain the register.</source>
      <translation>您的角色无权维护部件台账。</translation>
    </message>
    <message>
      <source>Component edits</source>
      <translation>部件编辑</translation>
    </message>
    <message>
      <source>Save the component edits before leaving?</source>
      <translation>离开前保存部件编辑吗？</translation>
    </message>
    <message>
      <source>Click the new component's place (a line or polygon: click its vertices, right-click to finish).</source>
      <translation>在地图上单击新部件的位置（线或面：依次单击各顶点，右键结束）。</translation>
    </message>
    <message>
      <source>Select one component first (click it with the move tool).</source>
      <translation>请先选择一个部件（用移动工具单击它）。</translation>
    </message>
    <message>
      <source>Select the components to retire first.</source>
      <translation>请先选择要注销的部件。</translation>
    </message>
    <message>
      <source>A retirement needs a reason.</source>
      <translation>注销部件必须填写原因。</translation>
    </message>
    <message>
      <source>Nothing to save.</source>
      <translation>没有需要保存的编辑。</translation>
    </message>
    <message>
      <source>QGIS cannot edit the component layers of this store.</source>
      <translation>QGIS 无法编辑此数据库的部件图层。</translation>
    </message>
    <message>
      <source>Why are these {0} components retired (作废)?</source>
      <translation>这 {0} 个部件为什么注销（作废）？</translation>
    </message>
    <message>
      <source>Saved: {0} changes of the register.</source>
      <translation>已保存：部件台账 {0} 处变更。</translation>
    </message>
  </context>
  <context>
    <name>ComponentFilter</name>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Component classes</source>
      <translation>部件类别</translation>
    </message>
  </context>
  <context>
    <name>CoordinateLabel</name>
    <message>
      <source>Position: {0}</source>
      <translation>位置：{0}</translation>
    </message>
  </context>
  <context>
    <name>DraftLayer</name>
    <message>
      <source>Draft responsibility grids</source>
      <translation>责任网格草稿</translation>
    </message>
    <message>
      <source>Draft unit grid edits</source>
      <translation>单元网格编辑草稿</translation>
    </message>
  </context>
  <context>
    <name>EvaluationPanel</name>
    <message>
      <source>Evaluate</source>
      <translation>评价</translation>
    </message>
    <message>
      <source>CSV...</source>
      <translation>CSV...</translation>
    </message>
    <message>
      <source>Excel...</source>
      <translation>Excel...</translation>
    </message>
    <message>
      <source>Evaluating...</source>
      <translation>正在评价...</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Registered</source>
      <translation>立案数</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>应结案数</translation>
    </message>
    <message>
      <source>Closed</source>
      <translation>结案数</translation>
    </message>
    <message>
      <source>Closure rate</source>
      <translation>结案率</translation>
    </message>
    <message>
      <source>On-time closure rate</source>
      <translation>按期结案率</translation>
    </message>
    <message>
      <source>On-time handling rate</source>
      <translation>按期处置率</translation>
    </message>
    <message>
      <source>Rework</source>
      <translation>返工数</translation>
    </message>
    <message>
      <source>On hold</source>
      <translation>挂账数</translation>
    </message>
    <message>
      <source>Avg. handling (working h)</source>
      <translation>平均处置时长（工作小时）</translation>
    </message>
    <message>
      <source>Escalated</source>
      <translation>上报数</translation>
    </message>
    <message>
      <source>Reports</source>
      <translation>上报数</translation>
    </message>
    <message>
      <source>Valid-report rate</source>
      <translation>有效上报率</translation>
    </message>
    <message>
      <source>On-time verify rate</source>
      <translation>按时核实率</translation>
    </message>
    <message>
      <source>On-time check rate</source>
      <translation>按时核查率</translation>
    </message>
    <message>
      <source>Components</source>
      <translation>部件数</translation>
    </message>
    <message>
      <source>Inspections</source>
      <translation>巡查记录</translation>
    </message>
    <message>
      <source>Components inspected</source>
      <translation>已巡查部件数</translation>
    </message>
    <message>
      <source>Inspection coverage</source>
      <translation>巡查覆盖率</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格数</translation>
    </message>
    <message>
      <source>Unit grids visited</source>
      <translation>已巡单元网格数</translation>
    </message>
    <message>
      <source>Patrol coverage</source>
      <translation>巡查网格覆盖率</translation>
    </message>
    <message>
      <source>On duty (h)</source>
      <translation>在岗时长（小时）</translation>
    </message>
    <message>
      <source>Cases registered (立案) in the period.</source>
      <translation>本期内立案的案件数。</translation>
    </message>
    <message>
      <source>应结案数: registered cases whose deadline falls in the period.</source>
      <translation>应结案数：处置时限落在本期内的已立案案件。</translation>
    </message>
    <message>
      <source>结案数: cases due in the period and closed by its end.</source>
      <translation>结案数：本期应结案且在期末前结案的案件。</translation>
    </message>
    <message>
      <source>结案率 = 结案数 / 应结案数.</source>
      <translation>结案率 = 结案数 / 应结案数。</translation>
    </message>
    <message>
      <source>按期结案率 = cases due, handled by the deadline and closed by the period's end / 应结案数.</source>
      <translation>按期结案率 = 应结案、在处置时限内处置完毕并在期末前结案的案件数 / 应结案数。</translation>
    </message>
    <message>
      <source>按期处置率 = cases due and handled by the deadline (closed or not) / 应结案数.</source>
      <translation>按期处置率 = 应结案且在处置时限内处置完毕的案件数（不论是否结案）/ 应结案数。</translation>
    </message>
    <message>
      <source>Rework (返工) counted on the cases registered in the period.</source>
      <translation>本期立案案件的返工次数。</translation>
    </message>
    <message>
      <source>Cases registered in the period and now on hold (挂账).</source>
      <translation>本期立案、目前挂账的案件数。</translation>
    </message>
    <message>
      <source>Working hours from dispatch to handling, for cases handled in the period.</source>
      <translation>本期处置完毕的案件从派遣到处置完毕的平均工作小时数。</translation>
    </message>
    <message>
      <source>上报数: escalations of the area's cases to a higher level (上报, 越级上报) in the period; a case passed up twice counts twice.</source>
      <translation>上报数：本期该区域案件上报上级（逐级上报、越级上报）的次数；同一案件上报两次计两次。</translation>
    </message>
    <message>
      <source>有效上报率 = reports registered / reports.</source>
      <translation>有效上报率 = 立案的上报数 / 上报数。</translation>
    </message>
    <message>
      <source>按时核实率: registered within 30 minutes of the report.</source>
      <translation>按时核实率：上报后 30 分钟内立案。</translation>
    </message>
    <message>
      <source>按时核查率: checked on site within 30 minutes of the handling.</source>
      <translation>按时核查率：处置完毕后 30 分钟内现场核查。</translation>
    </message>
    <message>
      <source>Components in use in the grid's unit grids (the register as it is now).</source>
      <translation>该网格各单元网格内在用的部件数（按当前台账）。</translation>
    </message>
    <message>
      <source>Inspections of components recorded in the period.</source>
      <translation>期间内记录的部件巡查次数。</translation>
    </message>
    <message>
      <source>Components inspected at least once in the period.</source>
      <translation>期间内至少巡查过一次的部件数。</translation>
    </message>
    <message>
      <source>巡查覆盖率 = components inspected / components (a supervisor: those of the grids assigned to them).</source>
      <translation>巡查覆盖率 = 已巡查部件数 / 部件数（监督员：其负责网格内的部件）。</translation>
    </message>
    <message>
      <source>Unit grids of the grid (a supervisor: of the grids assigned to them).</source>
      <translation>该网格的单元网格数（监督员：其负责网格的单元网格）。</translation>
    </message>
    <message>
      <source>Unit grids with at least one position of a supervisor in the period.</source>
      <translation>期间内监督员至少到过一次的单元网格数。</translation>
    </message>
    <message>
      <source>巡查网格覆盖率 = unit grids visited / unit grids.</source>
      <translation>巡查网格覆盖率 = 已巡单元网格数 / 单元网格数。</translation>
    </message>
    <message>
      <source>在岗时长: hours between positions at most 10 minutes apart (a grid: counted where each interval began).</source>
      <translation>在岗时长：间隔不超过 10 分钟的相邻定位之间的小时数（网格：计入每段起点所在网格）。</translation>
    </message>
    <message>
      <source>Responsibility grid</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Responsible unit</source>
      <translation>责任单位</translation>
    </message>
    <message>
      <source>Supervisor</source>
      <translation>监督员</translation>
    </message>
    <message>
      <source>From</source>
      <translation>从</translation>
    </message>
    <message>
      <source>to</source>
      <translation>至</translation>
    </message>
    <message>
      <source>Evaluate a period first.</source>
      <translation>请先评价一个时段。</translation>
    </message>
    <message>
      <source>Export the evaluation</source>
      <translation>导出评价结果</translation>
    </message>
    <message>
      <source>Evaluating {0} .. {1}</source>
      <translation>正在评价 {0} 至 {1}</translation>
    </message>
    <message>
      <source>{0} row(s), {1} .. {2}.</source>
      <translation>{0} 行，{1} 至 {2}。</translation>
    </message>
    <message>
      <source>All, {0} .. {1}</source>
      <translation>全部，{0} 至 {1}</translation>
    </message>
    <message>
      <source>Wrote {0}.</source>
      <translation>已写入 {0}。</translation>
    </message>
    <message>
      <source>The evaluation failed: {0}</source>
      <translation>评价失败：{0}</translation>
    </message>
  </context>
  <context>
    <name>Exchange</name>
    <message>
      <source>Legacy (OBJCODE, DEPTCODE1...)</source>
      <translation>传统字段（OBJCODE、DEPTCODE1…）</translation>
    </message>
    <message>
      <source>gridmap's own names</source>
      <translation>gridmap 原字段名</translation>
    </message>
    <message>
      <source>Export for other bureaus</source>
      <translation>导出给其他部门</translation>
    </message>
    <message>
      <source>Components (points, lines, polygons)</source>
      <translation>部件（点、线、面）</translation>
    </message>
    <message>
      <source>GBK (older tools)</source>
      <translation>GBK（旧版软件）</translation>
    </message>
    <message>
      <source>One zip package per responsible unit</source>
      <translation>每个责任单位一个压缩包</translation>
    </message>
    <message>
      <source>Browse...</source>
      <translation>浏览...</translation>
    </message>
    <message>
      <source>Open folder</source>
      <translation>打开文件夹</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Layer</source>
      <translation>图层</translation>
    </message>
    <message>
      <source>Format</source>
      <translation>格式</translation>
    </message>
    <message>
      <source>Coordinate system</source>
      <translation>坐标系</translation>
    </message>
    <message>
      <source>Encoding</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Field names</source>
      <translation>字段名</translation>
    </message>
    <message>
      <source>Filter</source>
      <translation>筛选</translation>
    </message>
    <message>
      <source>Folder</source>
      <translation>文件夹</translation>
    </message>
    <message>
      <source>GeoJSON's own: WGS84 longitude/latitude (EPSG:4326)</source>
      <translation>GeoJSON 默认：WGS84 经纬度（EPSG:4326）</translation>
    </message>
    <message>
      <source>Export into</source>
      <translation>导出到</translation>
    </message>
    <message>
      <source>Import from a bureau's file</source>
      <translation>从其他部门的文件导入</translation>
    </message>
    <message>
      <source>Components</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>From the .cpg, else detected</source>
      <translation>按 .cpg 文件，否则自动识别</translation>
    </message>
    <message>
      <source>EPSG:N, a PROJ string or WKT; wins over the file's .prj</source>
      <translation>EPSG:N、PROJ 字符串或 WKT；优先于文件的 .prj</translation>
    </message>
    <message>
      <source>Coordinates are GCJ-02 (from a phone map): correct them</source>
      <translation>坐标为 GCJ-02（来自手机地图）：进行纠正</translation>
    </message>
    <message>
      <source>x, lon, 经度... recognised by name</source>
      <translation>x 列（x、lon、经度……按名称识别）</translation>
    </message>
    <message>
      <source>y, lat, 纬度... recognised by name</source>
      <translation>y 列（y、lat、纬度……按名称识别）</translation>
    </message>
    <message>
      <source>Each part of a multi-part geometry its own component</source>
      <translation>多部件几何的每一部分各成一个部件</translation>
    </message>
    <message>
      <source>Allow a repair that keeps only the largest part</source>
      <translation>允许只保留最大部分的修复</translation>
    </message>
    <message>
      <source>Recognise from the field names</source>
      <translation>根据字段名识别</translation>
    </message>
    <message>
      <source>Saved field mapping (JSON), optional</source>
      <translation>已保存的字段映射（JSON），可选</translation>
    </message>
    <message>
      <source>Check</source>
      <translation>检查</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <source>Layer in the file</source>
      <translation>文件中的图层</translation>
    </message>
    <message>
      <source>Into</source>
      <translation>导入到</translation>
    </message>
    <message>
      <source>CSV x / y columns</source>
      <translation>CSV 的 x / y 列</translation>
    </message>
    <message>
      <source>Mapping</source>
      <translation>字段映射</translation>
    </message>
    <message>
      <source>File to import</source>
      <translation>要导入的文件</translation>
    </message>
    <message>
      <source>Vector files (*.shp *.gpkg *.geojson *.json *.csv *.zip)</source>
      <translation>矢量文件 (*.shp *.gpkg *.geojson *.json *.csv *.zip)</translation>
    </message>
    <message>
      <source>file</source>
      <translation>文件</translation>
    </message>
    <message>
      <source>the saved mapping</source>
      <translation>保存的字段映射</translation>
    </message>
    <message>
      <source>CSV with coordinates</source>
      <translation>带坐标的 CSV</translation>
    </message>
    <message>
      <source>Not exported: choose another folder or confirm.</source>
      <translation>未导出：请另选文件夹或确认覆盖。</translation>
    </message>
    <message>
      <source>row {0}</source>
      <translation>第 {0} 行</translation>
    </message>
    <message>
      <source>{0}: {1} row(s), encoding {2}, coordinate system {3}, field names {4}</source>
      <translation>{0}：{1} 行，编码 {2}，坐标系 {3}，字段方案 {4}</translation>
    </message>
    <message>
      <source>  notice: {0}</source>
      <translation>  提示：{0}</translation>
    </message>
    <message>
      <source>  {0}: repaired: {1}</source>
      <translation>  {0}：已修复：{1}</translation>
    </message>
    <message>
      <source>  {0}: {1}</source>
      <translation>  {0}：{1}</translation>
    </message>
    <message>
      <source>The store's own (EPSG:{0})</source>
      <translation>数据库自身的（EPSG:{0}）</translation>
    </message>
    <message>
      <source>{0} already holds {1} file(s) ({2}). Files with the same names will be replaced. Export into it?</source>
      <translation>{0} 中已有 {1} 个文件（{2}）。同名文件将被替换。仍导出到此文件夹？</translation>
    </message>
    <message>
      <source>Exporting... {0:.0f} s</source>
      <translation>正在导出... {0:.0f} 秒</translation>
    </message>
    <message>
      <source>Export cancelled; nothing was written.</source>
      <translation>已取消导出，没有写入任何文件。</translation>
    </message>
    <message>
      <source>Exported {0:,} feature(s) into {1} file(s) in {2}</source>
      <translation>已导出 {0:,} 个要素，共 {1} 个文件，位于 {2}</translation>
    </message>
    <message>
      <source>  ... {0} more line(s)</source>
      <translation>  …… 另有 {0} 行</translation>
    </message>
    <message>
      <source>Nothing written: {0} error(s)</source>
      <translation>未写入任何数据：{0} 个错误</translation>
    </message>
    <message>
      <source>All {0} if it is gridmap's own export, else choose one</source>
      <translation>全部 {0} 个（gridmap 自己的导出），否则请选择一个</translation>
    </message>
    <message>
      <source>Wrote {0} new, {1} updated, {2} unchanged</source>
      <translation>已写入：新增 {0}，更新 {1}，未变 {2}</translation>
    </message>
    <message>
      <source>Would write {0} new, {1} updated, {2} unchanged</source>
      <translation>将写入：新增 {0}，更新 {1}，未变 {2}</translation>
    </message>
  </context>
  <context>
    <name>GapsPanel</name>
    <message>
      <source>Check</source>
      <translation>检查</translation>
    </message>
    <message>
      <source>Add supervisor...</source>
      <translation>添加监督员...</translation>
    </message>
    <message>
      <source>Remove supervisor...</source>
      <translation>移除监督员...</translation>
    </message>
    <message>
      <source>Supervisors</source>
      <translation>监督员</translation>
    </message>
    <message>
      <source>Person:</source>
      <translation>人员：</translation>
    </message>
    <message>
      <source>Responsibility grid</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Most grids per person</source>
      <translation>每人最多负责网格数</translation>
    </message>
    <message>
      <source>Supervisors of the responsibility grids</source>
      <translation>各责任网格的监督员</translation>
    </message>
    <message>
      <source>No gaps: dispatch can reach a unit for everything.</source>
      <translation>没有缺漏：所有问题都能派遣到责任单位。</translation>
    </message>
    <message>
      <source>{0} gap(s). Click one to see it on the map.</source>
      <translation>{0} 处缺漏。点击一项可在地图上查看。</translation>
    </message>
  </context>
  <context>
    <name>GridEditor</name>
    <message>
      <source>new piece {0}</source>
      <translation>新块 {0}</translation>
    </message>
    <message>
      <source>Move vertex or edge</source>
      <translation>移动节点或边</translation>
    </message>
    <message>
      <source>Split unit grid</source>
      <translation>拆分单元网格</translation>
    </message>
    <message>
      <source>Merge unit grids</source>
      <translation>合并单元网格</translation>
    </message>
    <message>
      <source>Paint {0} unit grid(s)</source>
      <translation>划入 {0} 个单元网格</translation>
    </message>
    <message>
      <source>Responsibility grids</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>&amp;Grids</source>
      <translation>网格(&amp;G)</translation>
    </message>
    <message>
      <source>Grid editor</source>
      <translation>网格编辑</translation>
    </message>
    <message>
      <source>Edit responsibility grids</source>
      <translation>编辑责任网格</translation>
    </message>
    <message>
      <source>Paint unit grids</source>
      <translation>划分单元网格</translation>
    </message>
    <message>
      <source>Select unit grids</source>
      <translation>选择单元网格</translation>
    </message>
    <message>
      <source>Merge selected unit grids</source>
      <translation>合并所选单元网格</translation>
    </message>
    <message>
      <source>Propose balanced plan...</source>
      <translation>生成均衡方案...</translation>
    </message>
    <message>
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <source>Redo</source>
      <translation>重做</translation>
    </message>
    <message>
      <source>Choose a target grid in the table, then click or drag across unit grids.</source>
      <translation>在表中选择目标责任网格，然后在地图上点击或拖过单元网格。</translation>
    </message>
    <message>
      <source>Leave the grid editor</source>
      <translation>退出网格编辑</translation>
    </message>
    <message>
      <source>The draft has changes that are not committed.</source>
      <translation>草稿有尚未提交的修改。</translation>
    </message>
    <message>
      <source>Save as scenario...</source>
      <translation>另存为方案...</translation>
    </message>
    <message>
      <source>Discard changes</source>
      <translation>放弃修改</translation>
    </message>
    <message>
      <source>Draft discarded.</source>
      <translation>已放弃草稿。</translation>
    </message>
    <message>
      <source>Commit the plan</source>
      <translation>提交方案</translation>
    </message>
    <message>
      <source>Boundary edits cannot be kept in a scenario: commit them or they are lost.</source>
      <translation>边界编辑不能保存在方案中：请提交，否则将丢失。</translation>
    </message>
    <message>
      <source>Save scenario</source>
      <translation>保存方案</translation>
    </message>
    <message>
      <source>Name of the scenario:</source>
      <translation>方案名称：</translation>
    </message>
    <message>
      <source>Choose a target grid in the table first.</source>
      <translation>请先在表中选择目标责任网格。</translation>
    </message>
    <message>
      <source>Nothing to commit.</source>
      <translation>没有需要提交的修改。</translation>
    </message>
    <message>
      <source>{0} unit grid(s) change. Why (for the audit log)?</source>
      <translation>{0} 个单元网格将调整。调整原因（记入审计日志）：</translation>
    </message>
    <message>
      <source>This store holds {0} districts. Edit the plan of:</source>
      <translation>本库包含 {0} 个区县。编辑以下区县的方案：</translation>
    </message>
    <message>
      <source>Committed: {0} boundary edit(s), {1} unit grid(s) moved.</source>
      <translation>已提交：{0} 处边界编辑，调整 {1} 个单元网格。</translation>
    </message>
    <message>
      <source>{0} boundary edit(s) and {1} unit grid move(s). Why (for the audit log)?</source>
      <translation>{0} 处边界编辑、{1} 个单元网格调整。原因（记入审计日志）？</translation>
    </message>
    <message>
      <source>Committed: {0} unit grid(s) moved.</source>
      <translation>已提交：调整了 {0} 个单元网格。</translation>
    </message>
    <message>
      <source>Commit refused</source>
      <translation>提交被拒绝</translation>
    </message>
    <message>
      <source>Refused: {0}</source>
      <translation>已拒绝：{0}</translation>
    </message>
    <message>
      <source>Rebase my draft</source>
      <translation>在当前方案上重做我的草稿</translation>
    </message>
    <message>
      <source>Save it as a scenario...</source>
      <translation>另存为方案...</translation>
    </message>
    <message>
      <source>Open scenario</source>
      <translation>打开方案</translation>
    </message>
    <message>
      <source>Scenario:</source>
      <translation>方案：</translation>
    </message>
    <message>
      <source>Compare with the current plan</source>
      <translation>与现行方案比较</translation>
    </message>
    <message>
      <source>Compare:</source>
      <translation>比较：</translation>
    </message>
    <message>
      <source>Export the plan to a folder</source>
      <translation>将方案导出到文件夹</translation>
    </message>
    <message>
      <source>Propose balanced plan</source>
      <translation>生成均衡方案</translation>
    </message>
    <message>
      <source>Cases, components and area alike</source>
      <translation>案件、部件与面积同等计</translation>
    </message>
    <message>
      <source>Cases of the last 90 days</source>
      <translation>近 90 天案件数</translation>
    </message>
    <message>
      <source>Unit grids move between neighbouring responsibility grids until every grid's workload is within the tolerance of the mean. Grids stay connected, locked grids keep their units. The proposal becomes the draft: adjust it by hand, then commit.</source>
      <translation>在相邻责任网格之间调整单元网格，直至每个网格的工作量都在平均值的容差范围内。网格保持连通，锁定的网格保留其单元网格。方案成为草稿：可手工调整后再提交。</translation>
    </message>
    <message>
      <source>Tolerance ±</source>
      <translation>容差 ±</translation>
    </message>
    <message>
      <source>Workload</source>
      <translation>工作量</translation>
    </message>
    <message>
      <source>A scenario keeps moves between responsibility grids only: commit or undo the boundary edits first.</source>
      <translation>方案只保存责任网格之间的调整：请先提交或撤销单元网格边界编辑。</translation>
    </message>
    <message>
      <source>Opened scenario {0}: {1} unit grid(s) differ from the current plan.</source>
      <translation>已打开方案 {0}：与现行方案相比有 {1} 个单元网格不同。</translation>
    </message>
    <message>
      <source>Rebased on the current plan: {0} move(s) apply again.</source>
      <translation>已在当前方案上重做：{0} 项调整仍然适用。</translation>
    </message>
    <message>
      <source>No scenario saved yet.</source>
      <translation>尚未保存任何方案。</translation>
    </message>
    <message>
      <source>(the draft)</source>
      <translation>（当前草稿）</translation>
    </message>
    <message>
      <source>Unit grid</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Current</source>
      <translation>现行</translation>
    </message>
    <message>
      <source>Proposed</source>
      <translation>拟调整为</translation>
    </message>
    <message>
      <source>Proposed: {0} unit grid(s) moved, {1} of {2} grids within ±{3}%; compactness {4} → {5}. Adjust by hand, then commit.</source>
      <translation>已生成方案：调整 {0} 个单元网格，{2} 个网格中 {1} 个在 ±{3}% 以内；紧凑度 {4} → {5}。可手工调整后再提交。</translation>
    </message>
    <message>
      <source>Open the grid editor (Grids &gt; Edit responsibility grids) to edit unit grids.</source>
      <translation>请先打开网格编辑（网格 &gt; 编辑责任网格）再编辑单元网格。</translation>
    </message>
    <message>
      <source>The middle of the line must lie inside the unit grid to split.</source>
      <translation>切割线的中点必须位于要拆分的单元网格内。</translation>
    </message>
    <message>
      <source>Saved scenario {0}.</source>
      <translation>已保存方案 {0}。</translation>
    </message>
    <message>
      <source>Differences: {0}</source>
      <translation>差异：{0}</translation>
    </message>
    <message>
      <source>In the draft: {0} unit grid(s) reshaped, {1} new. Commit to write them.</source>
      <translation>已加入草稿：{0} 个单元网格变形，新增 {1} 个。提交后才写入。</translation>
    </message>
    <message>
      <source>{0} of its unit grids no longer exist.</source>
      <translation>其中 {0} 个单元网格已不存在。</translation>
    </message>
    <message>
      <source>Left out: {0}.</source>
      <translation>未能保留：{0}。</translation>
    </message>
    <message>
      <source>Export failed</source>
      <translation>导出失败</translation>
    </message>
    <message>
      <source>Exported {0} and {1}.</source>
      <translation>已导出 {0} 和 {1}。</translation>
    </message>
    <message>
      <source>Some grids stay outside: {0}</source>
      <translation>仍有网格超出范围：{0}</translation>
    </message>
    <message>
      <source>{0} unit grid(s) chosen.</source>
      <translation>已选 {0} 个单元网格。</translation>
    </message>
  </context>
  <context>
    <name>GridStatsPanel</name>
    <message>
      <source>Target: choose a row</source>
      <translation>目标：请选择一行</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Units</source>
      <translation>单元</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格数</translation>
    </message>
    <message>
      <source>km²</source>
      <translation>平方公里</translation>
    </message>
    <message>
      <source>Area km²</source>
      <translation>面积(平方公里)</translation>
    </message>
    <message>
      <source>Comp.</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Components</source>
      <translation>部件数</translation>
    </message>
    <message>
      <source>Cases</source>
      <translation>案件</translation>
    </message>
    <message>
      <source>Incidents (90 days)</source>
      <translation>案件数(90天)</translation>
    </message>
    <message>
      <source>Dev.</source>
      <translation>偏差</translation>
    </message>
    <message>
      <source>Deviation of the workload (cases, components and area alike) from the mean</source>
      <translation>工作量（案件、部件与面积同等计）与平均值的偏差</translation>
    </message>
    <message>
      <source>Lock</source>
      <translation>锁定</translation>
    </message>
    <message>
      <source>Locked</source>
      <translation>锁定</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Tolerance ±</source>
      <translation>容差 ±</translation>
    </message>
    <message>
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <source>Redo</source>
      <translation>重做</translation>
    </message>
    <message>
      <source>Save scenario...</source>
      <translation>保存方案...</translation>
    </message>
    <message>
      <source>Open scenario...</source>
      <translation>打开方案...</translation>
    </message>
    <message>
      <source>Compare...</source>
      <translation>比较...</translation>
    </message>
    <message>
      <source>Discard draft</source>
      <translation>放弃草稿</translation>
    </message>
    <message>
      <source>Export plan...</source>
      <translation>导出方案...</translation>
    </message>
    <message>
      <source>Commit...</source>
      <translation>提交...</translation>
    </message>
    <message>
      <source>Propose balanced plan...</source>
      <translation>生成均衡方案...</translation>
    </message>
    <message>
      <source>Target: {0}</source>
      <translation>目标：{0}</translation>
    </message>
  </context>
  <context>
    <name>HotspotPanel</name>
    <message>
      <source>Hot, 99%</source>
      <translation>热点，99%</translation>
    </message>
    <message>
      <source>Hot, 95%</source>
      <translation>热点，95%</translation>
    </message>
    <message>
      <source>Hot, 90%</source>
      <translation>热点，90%</translation>
    </message>
    <message>
      <source>Cold, 90%</source>
      <translation>冷点，90%</translation>
    </message>
    <message>
      <source>Cold, 95%</source>
      <translation>冷点，95%</translation>
    </message>
    <message>
      <source>Cold, 99%</source>
      <translation>冷点，99%</translation>
    </message>
    <message>
      <source>Show hotspots</source>
      <translation>显示热点</translation>
    </message>
    <message>
      <source>Heatmap of the cases</source>
      <translation>案件热力图</translation>
    </message>
    <message>
      <source>Step through time</source>
      <translation>按时间逐段显示</translation>
    </message>
    <message>
      <source>a week</source>
      <translation>每周</translation>
    </message>
    <message>
      <source>a month</source>
      <translation>每月</translation>
    </message>
    <message>
      <source>Period</source>
      <translation>时段</translation>
    </message>
    <message>
      <source>Class</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>All classes</source>
      <translation>全部类别</translation>
    </message>
    <message>
      <source>Event</source>
      <translation>事件</translation>
    </message>
    <message>
      <source>Component</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Hotspots (Gi*)</source>
      <translation>热点（Gi*）</translation>
    </message>
    <message>
      <source>Heatmap of cases</source>
      <translation>案件热力图</translation>
    </message>
    <message>
      <source>hot</source>
      <translation>热点</translation>
    </message>
    <message>
      <source>cold</source>
      <translation>冷点</translation>
    </message>
    <message>
      <source>Unit grid</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Cases</source>
      <translation>案件数</translation>
    </message>
    <message>
      <source>Gi* z</source>
      <translation>Gi* z 值</translation>
    </message>
    <message>
      <source>p</source>
      <translation>p 值</translation>
    </message>
    <message>
      <source>Show hotspots first, then step the heatmap through the period.</source>
      <translation>先显示热点，再按时间逐段查看热力图。</translation>
    </message>
    <message>
      <source>{0} case(s) in {1} unit grids: {2} hot, {3} cold (Getis-Ord Gi*, p ≤ 0.05). Double-click a row to go there.</source>
      <translation>{1} 个单元网格共 {0} 件案件：热点 {2} 个，冷点 {3} 个（Getis-Ord Gi*，p ≤ 0.05）。双击一行可定位。</translation>
    </message>
    <message>
      <source>The whole period.</source>
      <translation>整个时段。</translation>
    </message>
    <message>
      <source>Cases reported {0} – {1} ({2} of {3})</source>
      <translation>{0} 至 {1} 上报的案件（第 {2} 段，共 {3} 段）</translation>
    </message>
  </context>
  <context>
    <name>IncidentFilter</name>
    <message>
      <source>Show closed and rejected cases</source>
      <translation>显示已结案和不予立案的案件</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <source>From</source>
      <translation>从</translation>
    </message>
    <message>
      <source>To</source>
      <translation>到</translation>
    </message>
    <message>
      <source>Any time</source>
      <translation>不限</translation>
    </message>
    <message>
      <source>Today</source>
      <translation>今天</translation>
    </message>
    <message>
      <source>Last 7 days</source>
      <translation>最近 7 天</translation>
    </message>
    <message>
      <source>Last 30 days</source>
      <translation>最近 30 天</translation>
    </message>
    <message>
      <source>This year</source>
      <translation>今年</translation>
    </message>
    <message>
      <source>Between dates</source>
      <translation>指定日期</translation>
    </message>
  </context>
  <context>
    <name>InspectionDialog</name>
    <message>
      <source>Found</source>
      <translation>巡查结果</translation>
    </message>
    <message>
      <source>What you saw (optional)</source>
      <translation>现场情况（可不填）</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>No photo</source>
      <translation>无照片</translation>
    </message>
    <message>
      <source>Choose...</source>
      <translation>选择...</translation>
    </message>
    <message>
      <source>Photo</source>
      <translation>照片</translation>
    </message>
    <message>
      <source>Open a case on this component</source>
      <translation>就此部件上报案件</translation>
    </message>
    <message>
      <source>Photo of the component</source>
      <translation>部件照片</translation>
    </message>
    <message>
      <source>Photos (*.jpg *.jpeg *.png)</source>
      <translation>照片 (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
      <source>Inspection of {0}</source>
      <translation>部件 {0} 的巡查</translation>
    </message>
    <message>
      <source>the photo is larger than 2 MB</source>
      <translation>照片超过 2 MB</translation>
    </message>
    <message>
      <source>Inspection</source>
      <translation>巡查</translation>
    </message>
    <message>
      <source>Not taken: {0}</source>
      <translation>未采用：{0}</translation>
    </message>
  </context>
  <context>
    <name>InspectionLayers</name>
    <message>
      <source>Days since the last inspection</source>
      <translation>距上次巡查天数</translation>
    </message>
    <message>
      <source>Inspected within 7 days</source>
      <translation>7 天内巡查过</translation>
    </message>
    <message>
      <source>8 to 30 days ago</source>
      <translation>8–30 天前</translation>
    </message>
    <message>
      <source>31 to 90 days ago</source>
      <translation>31–90 天前</translation>
    </message>
    <message>
      <source>More than 90 days ago</source>
      <translation>90 天以前</translation>
    </message>
    <message>
      <source>Never inspected</source>
      <translation>从未巡查</translation>
    </message>
    <message>
      <source>Point components by last inspection</source>
      <translation>点状部件（按上次巡查）</translation>
    </message>
    <message>
      <source>Line components by last inspection</source>
      <translation>线状部件（按上次巡查）</translation>
    </message>
    <message>
      <source>Polygon components by last inspection</source>
      <translation>面状部件（按上次巡查）</translation>
    </message>
  </context>
  <context>
    <name>Inspector</name>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Class</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Geometry</source>
      <translation>几何类型</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Competent unit</source>
      <translation>主管部门</translation>
    </message>
    <message>
      <source>Owner unit</source>
      <translation>权属单位</translation>
    </message>
    <message>
      <source>Maintainer unit</source>
      <translation>养护单位</translation>
    </message>
    <message>
      <source>Unit grid</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Responsibility grid</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Street / town</source>
      <translation>街道/乡镇</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Currency</source>
      <translation>现势性</translation>
    </message>
    <message>
      <source>Initial survey date</source>
      <translation>初始普查日期</translation>
    </message>
    <message>
      <source>Change date</source>
      <translation>变更日期</translation>
    </message>
    <message>
      <source>Data source</source>
      <translation>数据来源</translation>
    </message>
    <message>
      <source>Photo</source>
      <translation>照片</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Area</source>
      <translation>面积</translation>
    </message>
    <message>
      <source>Valid from</source>
      <translation>生效日期</translation>
    </message>
    <message>
      <source>Supervisors</source>
      <translation>监督员</translation>
    </message>
    <message>
      <source>Community grid</source>
      <translation>社区网格</translation>
    </message>
    <message>
      <source>Open incidents</source>
      <translation>未结案件</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Locked</source>
      <translation>锁定</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Component</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Reporter</source>
      <translation>上报人</translation>
    </message>
    <message>
      <source>Responsible unit</source>
      <translation>责任单位</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <source>Registered</source>
      <translation>立案</translation>
    </message>
    <message>
      <source>Dispatched</source>
      <translation>已派遣</translation>
    </message>
    <message>
      <source>Deadline</source>
      <translation>处置时限</translation>
    </message>
    <message>
      <source>Handled</source>
      <translation>已处置</translation>
    </message>
    <message>
      <source>Checked</source>
      <translation>已核查</translation>
    </message>
    <message>
      <source>Closed</source>
      <translation>已结案</translation>
    </message>
    <message>
      <source>Close type</source>
      <translation>结案类型</translation>
    </message>
    <message>
      <source>Rework count</source>
      <translation>返工次数</translation>
    </message>
    <message>
      <source>Grid leader</source>
      <translation>网格长</translation>
    </message>
    <message>
      <source>Party secretary</source>
      <translation>网格党支部书记</translation>
    </message>
    <message>
      <source>Grid manager</source>
      <translation>专职网格员</translation>
    </message>
    <message>
      <source>Police officer</source>
      <translation>社区民警</translation>
    </message>
    <message>
      <source>Property manager</source>
      <translation>物业管理员</translation>
    </message>
    <message>
      <source>Law enforcement officer</source>
      <translation>城管执法队员</translation>
    </message>
    <message>
      <source>Volunteer</source>
      <translation>网格志愿者</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Communities</source>
      <translation>社区数</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>层级</translation>
    </message>
    <message>
      <source>Parent</source>
      <translation>上级</translation>
    </message>
    <message>
      <source>Material</source>
      <translation>材质</translation>
    </message>
    <message>
      <source>Supervisor patrol</source>
      <translation>监督员巡查</translation>
    </message>
    <message>
      <source>Public hotline</source>
      <translation>公众热线</translation>
    </message>
    <message>
      <source>Video</source>
      <translation>视频监控</translation>
    </message>
    <message>
      <source>Assigned by a higher level</source>
      <translation>上级交办</translation>
    </message>
    <message>
      <source>Handled on site</source>
      <translation>现场自行处置</translation>
    </message>
    <message>
      <source>Normal</source>
      <translation>正常结案</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>超期</translation>
    </message>
    <message>
      <source>Erroneous</source>
      <translation>误报结案</translation>
    </message>
    <message>
      <source>Special</source>
      <translation>特殊结案</translation>
    </message>
    <message>
      <source>Point</source>
      <translation>点</translation>
    </message>
    <message>
      <source>Line</source>
      <translation>线</translation>
    </message>
    <message>
      <source>Polygon</source>
      <translation>面</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>No</source>
      <translation>否</translation>
    </message>
    <message>
      <source>Street</source>
      <translation>街道</translation>
    </message>
    <message>
      <source>Town</source>
      <translation>乡镇</translation>
    </message>
    <message>
      <source>Grid group</source>
      <translation>网格组</translation>
    </message>
    <message>
      <source>Community room</source>
      <translation>社区工作室</translation>
    </message>
    <message>
      <source>Street station</source>
      <translation>街道工作站</translation>
    </message>
    <message>
      <source>District centre</source>
      <translation>区中心</translation>
    </message>
    <message>
      <source>Click a component or a grid on the map.</source>
      <translation>在地图上点击部件或网格。</translation>
    </message>
    <message>
      <source>Added</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Moved</source>
      <translation>移动</translation>
    </message>
    <message>
      <source>Reshaped</source>
      <translation>修整形状</translation>
    </message>
    <message>
      <source>Attributes changed</source>
      <translation>属性变更</translation>
    </message>
    <message>
      <source>Retired</source>
      <translation>注销（作废）</translation>
    </message>
    <message>
      <source>Census</source>
      <translation>普查更新</translation>
    </message>
    <message>
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>值</translation>
    </message>
    <message>
      <source>Nothing here.</source>
      <translation>此处没有对象。</translation>
    </message>
    <message>
      <source>History</source>
      <translation>历史</translation>
    </message>
    <message>
      <source>Inspections</source>
      <translation>巡查记录</translation>
    </message>
    <message>
      <source>Double-click to open the case</source>
      <translation>双击打开案件</translation>
    </message>
    <message>
      <source>as surveyed; no changes in gridmap</source>
      <translation>普查原样，在 gridmap 中未变更</translation>
    </message>
    <message>
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <source>{0} features here — choose one to highlight it</source>
      <translation>此处有 {0} 个要素 — 选择一个在地图上高亮</translation>
    </message>
    <message>
      <source>Components by major class</source>
      <translation>各大类部件数</translation>
    </message>
    <message>
      <source>Incidents on this component</source>
      <translation>该部件的案件</translation>
    </message>
    <message>
      <source>Location</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>changed</source>
      <translation>已变更</translation>
    </message>
    <message>
      <source>case {0}</source>
      <translation>案件 {0}</translation>
    </message>
  </context>
  <context>
    <name>LiveIncidents</name>
    <message>
      <source>All levels</source>
      <translation>全部层级</translation>
    </message>
    <message>
      <source>My level</source>
      <translation>我的层级</translation>
    </message>
    <message>
      <source>New cases appear here as devices report them.</source>
      <translation>终端上报的新案件会显示在这里。</translation>
    </message>
    <message>
      <source>no deadline</source>
      <translation>无时限</translation>
    </message>
    <message>
      <source>Waiting at {0}: {1} open case(s), the earliest deadline first</source>
      <translation>{0}待办：{1} 件，时限最早的在前</translation>
    </message>
    <message>
      <source>Overdue: {0} case(s) past their deadline, not yet handled</source>
      <translation>超期：{0} 个案件已过处置时限且尚未处置</translation>
    </message>
    <message>
      <source>{0} new case(s) since the file was opened.</source>
      <translation>打开文件以来有 {0} 个新案件。</translation>
    </message>
  </context>
  <context>
    <name>LiveSupervisors</name>
    <message>
      <source>Supervisors now</source>
      <translation>监督员当前位置</translation>
    </message>
    <message>
      <source>Supervisors' tracks today</source>
      <translation>监督员今日轨迹</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>gridmap</source>
      <translation>gridmap 网格化城市管理</translation>
    </message>
    <message>
      <source>Layers</source>
      <translation>图层</translation>
    </message>
    <message>
      <source>Map</source>
      <translation>地图</translation>
    </message>
    <message>
      <source>Pan</source>
      <translation>平移</translation>
    </message>
    <message>
      <source>Zoom in</source>
      <translation>放大</translation>
    </message>
    <message>
      <source>Zoom out</source>
      <translation>缩小</translation>
    </message>
    <message>
      <source>Full extent</source>
      <translation>全图</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Open...</source>
      <translation>打开(&amp;O)...</translation>
    </message>
    <message>
      <source>Open &amp;PostGIS database...</source>
      <translation>打开 PostGIS 数据库(&amp;P)...</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>&amp;Layer</source>
      <translation>图层(&amp;L)</translation>
    </message>
    <message>
      <source>Open a gridmap file</source>
      <translation>打开 gridmap 文件</translation>
    </message>
    <message>
      <source>gridmap files (*.sqlite *.gridmap *.db);;All files (*)</source>
      <translation>gridmap 文件 (*.sqlite *.gridmap *.db);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Open a PostGIS database</source>
      <translation>打开 PostGIS 数据库</translation>
    </message>
    <message>
      <source>Connection (postgresql://user@host:port/database or service=NAME;
passwords come from ~/.pgpass or PGPASSWORD):</source>
      <translation>连接（postgresql://用户@主机:端口/数据库 或 service=名称；
密码取自 ~/.pgpass 或 PGPASSWORD）：</translation>
    </message>
    <message>
      <source>Scale</source>
      <translation>比例尺</translation>
    </message>
    <message>
      <source>Cannot open file</source>
      <translation>无法打开文件</translation>
    </message>
    <message>
      <source>First render {0:.2f} s</source>
      <translation>首次绘制 {0:.2f} 秒</translation>
    </message>
  </context>
  <context>
    <name>MapStyles</name>
    <message>
      <source>Streets and towns</source>
      <translation>街道和乡镇</translation>
    </message>
    <message>
      <source>Communities</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Small grids</source>
      <translation>小网格</translation>
    </message>
    <message>
      <source>River</source>
      <translation>河流</translation>
    </message>
    <message>
      <source>Arterial road</source>
      <translation>主干道</translation>
    </message>
    <message>
      <source>Local street</source>
      <translation>支路</translation>
    </message>
    <message>
      <source>New report</source>
      <translation>新上报</translation>
    </message>
    <message>
      <source>Registered</source>
      <translation>立案</translation>
    </message>
    <message>
      <source>Dispatched</source>
      <translation>已派遣</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>超期</translation>
    </message>
    <message>
      <source>On hold</source>
      <translation>挂账</translation>
    </message>
    <message>
      <source>Handled</source>
      <translation>已处置</translation>
    </message>
    <message>
      <source>Checked</source>
      <translation>已核查</translation>
    </message>
    <message>
      <source>Closed</source>
      <translation>已结案</translation>
    </message>
    <message>
      <source>Rejected</source>
      <translation>不予立案</translation>
    </message>
  </context>
  <context>
    <name>Messages</name>
    <message>
      <source>Reject</source>
      <translation>不予立案</translation>
    </message>
    <message>
      <source>Deadline extension</source>
      <translation>延期</translation>
    </message>
    <message>
      <source>Check failed: rework</source>
      <translation>核查未通过：返工</translation>
    </message>
    <message>
      <source>incident status</source>
      <translation>案件状态</translation>
    </message>
    <message>
      <source>component state</source>
      <translation>部件状态</translation>
    </message>
    <message>
      <source>component class</source>
      <translation>部件小类</translation>
    </message>
    <message>
      <source>responsible unit</source>
      <translation>责任单位</translation>
    </message>
    <message>
      <source>responsibility grid</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>competent</source>
      <translation>主管</translation>
    </message>
    <message>
      <source>owner</source>
      <translation>权属</translation>
    </message>
    <message>
      <source>maintainer</source>
      <translation>养护</translation>
    </message>
    <message>
      <source>any role</source>
      <translation>任一角色</translation>
    </message>
    <message>
      <source>state</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>currency</source>
      <translation>现势性</translation>
    </message>
    <message>
      <source>point</source>
      <translation>点</translation>
    </message>
    <message>
      <source>line</source>
      <translation>线</translation>
    </message>
    <message>
      <source>polygon</source>
      <translation>面</translation>
    </message>
    <message>
      <source>it is void (作废)</source>
      <translation>部件已作废</translation>
    </message>
    <message>
      <source>its component was deleted</source>
      <translation>其部件已删除</translation>
    </message>
    <message>
      <source>the field names</source>
      <translation>字段名</translation>
    </message>
    <message>
      <source>{0} needs a reason</source>
      <translation>{0}需要填写原因。</translation>
    </message>
    <message>
      <source>Dispatching to another unit than the suggested one needs a reason.</source>
      <translation>派遣给建议单位以外的单位需要填写原因。</translation>
    </message>
    <message>
      <source>Sign in first: every step records who took it.</source>
      <translation>请先登录：每个环节都记录办理人。</translation>
    </message>
    <message>
      <source>The case's status does not allow this step.</source>
      <translation>案件当前状态不允许此操作。</translation>
    </message>
    <message>
      <source>Case {0} was changed by someone else since you opened it; reload it.</source>
      <translation>案件 {0} 在您打开后已被他人办理，请重新载入。</translation>
    </message>
    <message>
      <source>There is no case {0}.</source>
      <translation>没有案件 {0}。</translation>
    </message>
    <message>
      <source>An escalation needs a reason.</source>
      <translation>上报上级须填写原因。</translation>
    </message>
    <message>
      <source>Only an open case that is not yet handled can be escalated.</source>
      <translation>只有尚未处置的在办案件可以上报上级。</translation>
    </message>
    <message>
      <source>A case at the district centre cannot be escalated further.</source>
      <translation>区中心的案件不能再上报。</translation>
    </message>
    <message>
      <source>A case is escalated up: to the next level, or straight to the district centre.</source>
      <translation>案件只能向上报：报上一级，或越级直报区中心。</translation>
    </message>
    <message>
      <source>{0} is not an active responsible unit.</source>
      <translation>{0} 不是在用的处置单位。</translation>
    </message>
    <message>
      <source>A check needs its result: passed or not.</source>
      <translation>核查需要结果：通过或不通过。</translation>
    </message>
    <message>
      <source>No unit is suggested for this case: choose one.</source>
      <translation>此案件没有建议处置单位：请选择一个。</translation>
    </message>
    <message>
      <source>An extension needs a positive number of working hours.</source>
      <translation>延期需要填写大于零的工作小时数。</translation>
    </message>
    <message>
      <source>unknown field “{0}”; the fields are {1}</source>
      <translation>未知字段“{0}”；可用字段：{1}</translation>
    </message>
    <message>
      <source>expected {0} but found {1}</source>
      <translation>此处应为 {0}，实际为 {1}</translation>
    </message>
    <message>
      <source>expected a comparison after {0} but found {1}</source>
      <translation>{0} 之后应为比较运算，实际为 {1}</translation>
    </message>
    <message>
      <source>cannot read the filter at {0}</source>
      <translation>无法识别筛选条件：{0}</translation>
    </message>
    <message>
      <source>unexpected {0} in the filter</source>
      <translation>筛选条件中有多余的 {0}</translation>
    </message>
    <message>
      <source>{0} does not touch {1}: a grid only takes unit grids along its edge.</source>
      <translation>{0} 与 {1} 不相邻：责任网格只能接收与其边界相接的单元网格。</translation>
    </message>
    <message>
      <source>Moving {0} would split {1} in two.</source>
      <translation>移走 {0} 会把 {1} 分成两块。</translation>
    </message>
    <message>
      <source>{0} is the last unit grid of {1}.</source>
      <translation>{0} 是 {1} 的最后一个单元网格。</translation>
    </message>
    <message>
      <source>{0} belongs to {1}, which is locked.</source>
      <translation>{0} 属于已锁定的 {1}。</translation>
    </message>
    <message>
      <source>{0} is locked.</source>
      <translation>{0} 已锁定。</translation>
    </message>
    <message>
      <source>{0} grid(s) stay outside ±{1}%: the limit of {2} moved unit grids was reached.</source>
      <translation>{0} 个网格仍超出 ±{1}%：已达到最多调整 {2} 个单元网格的限制。</translation>
    </message>
    <message>
      <source>{0} grid(s) stay outside ±{1}%, {2} of them locked.</source>
      <translation>{0} 个网格仍超出 ±{1}%，其中 {2} 个已锁定。</translation>
    </message>
    <message>
      <source>{0} grid(s) stay outside ±{1}%.</source>
      <translation>{0} 个网格仍超出 ±{1}%。</translation>
    </message>
    <message>
      <source>There is no workload to balance: every grid weighs 0.</source>
      <translation>没有可均衡的工作量：每个网格的工作量均为 0。</translation>
    </message>
    <message>
      <source>A scenario needs a name.</source>
      <translation>方案需要一个名称。</translation>
    </message>
    <message>
      <source>A scenario named “{0}” already exists.</source>
      <translation>已有名为“{0}”的方案。</translation>
    </message>
    <message>
      <source>There is no scenario named “{0}”.</source>
      <translation>没有名为“{0}”的方案。</translation>
    </message>
    <message>
      <source>{0} unit grid(s) were changed by someone else since this draft began (e.g. {1}): reopen the plan and redo the change.</source>
      <translation>自草稿开始以来，已有 {0} 个单元网格被他人修改（例如 {1}）：请重新打开方案并重做修改。</translation>
    </message>
    <message>
      <source>{0} changed the grids since this draft began ({1} commit(s)). Rebase your draft on the current plan, or save it as a scenario.</source>
      <translation>自本草稿开始以来，{0} 已修改网格（{1} 次提交）。请在当前方案上重做草稿，或将其另存为方案。</translation>
    </message>
    <message>
      <source>{0} ({1}) may not do this: {2}.</source>
      <translation>{0}（{1}）无权执行此操作：{2}。</translation>
    </message>
    <message>
      <source>{0} is disabled.</source>
      <translation>{0} 已停用。</translation>
    </message>
    <message>
      <source>{0} acts for unit {1} only; this case is routed to {2}.</source>
      <translation>{0} 仅代表单位 {1}；此案件派往 {2}。</translation>
    </message>
    <message>
      <source>{0} acts for street {1} only; this case is in {2}.</source>
      <translation>{0} 仅负责街道 {1}；此案件位于 {2}。</translation>
    </message>
    <message>
      <source>The database refused this for your role: {0}</source>
      <translation>数据库拒绝了您的角色执行此操作：{0}</translation>
    </message>
    <message>
      <source>Someone else changed these unit grids meanwhile: {0}. Reopen the plan and redo the edit.</source>
      <translation>这些单元网格已被他人修改：{0}。请重新打开方案并重做编辑。</translation>
    </message>
    <message>
      <source>The community has used all 999 unit grid sequence numbers.</source>
      <translation>该社区的 999 个单元网格序号已用完。</translation>
    </message>
    <message>
      <source>No unit grid has a vertex there.</source>
      <translation>此处没有单元网格的节点。</translation>
    </message>
    <message>
      <source>The line must cross the unit grid from one side to another.</source>
      <translation>分割线必须从单元网格的一边穿到另一边。</translation>
    </message>
    <message>
      <source>A piece would be only {0} m².</source>
      <translation>分割后有一块只有 {0} 平方米。</translation>
    </message>
    <message>
      <source>Only unit grids that share an edge can be merged.</source>
      <translation>只有共边的单元网格才能合并。</translation>
    </message>
    <message>
      <source>Choose at least two unit grids to merge.</source>
      <translation>请至少选择两个单元网格再合并。</translation>
    </message>
    <message>
      <source>Unit grids of different communities cannot be merged ({0}).</source>
      <translation>不同社区的单元网格不能合并（{0}）。</translation>
    </message>
    <message>
      <source>The edit would leave a gap of {0} m².</source>
      <translation>此编辑会留下 {0} 平方米的缝隙。</translation>
    </message>
    <message>
      <source>The edit would reach {0} m² beyond the grids it changes (overlapping a neighbour or leaving the district).</source>
      <translation>此编辑会超出所改网格 {0} 平方米（与相邻网格重叠或超出辖区）。</translation>
    </message>
    <message>
      <source>The edit would make edges overlap or stop matching their neighbours.</source>
      <translation>此编辑会使边界重叠或与相邻网格不再吻合。</translation>
    </message>
    <message>
      <source>{0} would become an invalid polygon ({1}).</source>
      <translation>{0} 会变成无效多边形（{1}）。</translation>
    </message>
    <message>
      <source>{0} would cross the boundary of community {1} ({2} m² outside it).</source>
      <translation>{0} 会越过社区 {1} 的边界（超出 {2} 平方米）。</translation>
    </message>
    <message>
      <source>{0}: no such file.</source>
      <translation>{0}：文件不存在。</translation>
    </message>
    <message>
      <source>{0}: the text reads as UTF-8 ({1}) and as GBK ({2}) ({3}), and nothing in the file says which (no .cpg): choose the encoding.</source>
      <translation>{0}：文字按 UTF-8 读作 {1}，按 GBK 读作 {2}（{3}），文件中没有说明是哪一种（无 .cpg）：请选择编码。</translation>
    </message>
    <message>
      <source>{0}: the text is neither UTF-8 nor GBK: choose the encoding.</source>
      <translation>{0}：文字既不是 UTF-8 也不是 GBK：请选择编码。</translation>
    </message>
    <message>
      <source>{0}: {1}: {2} is not {3} text: choose the right encoding.</source>
      <translation>{0}：{1}：{2} 不是 {3} 编码的文字：请选择正确的编码。</translation>
    </message>
    <message>
      <source>The .cpg names {0}, which gridmap does not read: choose the encoding.</source>
      <translation>.cpg 文件写的是 {0}，gridmap 不能读取：请选择编码。</translation>
    </message>
    <message>
      <source>Unknown encoding {0}: use GBK, GB18030 or UTF-8.</source>
      <translation>未知编码 {0}：请用 GBK、GB18030 或 UTF-8。</translation>
    </message>
    <message>
      <source>{0} is not a coordinate system: enter EPSG:N, a PROJ string or a WKT.</source>
      <translation>{0} 不是坐标系：请填写 EPSG:N、PROJ 字符串或 WKT。</translation>
    </message>
    <message>
      <source>{0}: the file says nothing of its coordinate system (no .prj): enter its coordinate system.</source>
      <translation>{0}：文件没有说明坐标系（无 .prj）：请填写其坐标系。</translation>
    </message>
    <message>
      <source>{0}: the .prj is not a coordinate system definition ({1}): fix it or enter the coordinate system.</source>
      <translation>{0}：.prj 不是坐标系定义（{1}）：请修正或填写坐标系。</translation>
    </message>
    <message>
      <source>{0}: the file is in {1} (datum {2}); there is no exact transformation from it to the store's {3}, only an approximate offset with errors of metres. Enter the coordinate system with the datum parameters: the file's own is "{4}" with dx..ds from your survey bureau's published parameters (or a WKT with TOWGS84).</source>
      <translation>{0}：文件坐标系为 {1}（基准面 {2}），到数据库的 {3} 没有精确转换，只有误差达数米的近似平移。请填写带基准面参数的坐标系：文件自身的坐标系为“{4}”，其中 dx..ds 按测绘部门公布的参数填写（或用带 TOWGS84 的 WKT）。</translation>
    </message>
    <message>
      <source>{0}: GCJ-02 correction needs longitude/latitude, but the file is in {1}.</source>
      <translation>{0}：GCJ-02 纠偏需要经纬度坐标，而文件坐标系为 {1}。</translation>
    </message>
    <message>
      <source>{0}: the files are in different coordinate systems.</source>
      <translation>{0}：这些文件的坐标系不同。</translation>
    </message>
    <message>
      <source>{0}: the .shp has {1} shapes but the .dbf {2} records: the files do not belong together or one is damaged.</source>
      <translation>{0}：.shp 有 {1} 个图形而 .dbf 有 {2} 条记录：两个文件不配套或其中一个已损坏。</translation>
    </message>
    <message>
      <source>{0}: the shapefile has no {1} file beside it.</source>
      <translation>{0}：shapefile 旁边缺少 {1} 文件。</translation>
    </message>
    <message>
      <source>{0}: the file is truncated ({1} of {2} bytes).</source>
      <translation>{0}：文件不完整（{2} 字节中只有 {1}）。</translation>
    </message>
    <message>
      <source>{0}: cannot read it: {1}</source>
      <translation>{0}：无法读取：{1}</translation>
    </message>
    <message>
      <source>{0}: holds {1} data files ({2}): choose one under “Layer in the file”.</source>
      <translation>{0}：包含 {1} 个数据文件（{2}）：请在“文件中的图层”中选择一个。</translation>
    </message>
    <message>
      <source>{0}: holds {1} layers ({2}): choose one under “Layer in the file”.</source>
      <translation>{0}：包含 {1} 个图层（{2}）：请在“文件中的图层”中选择一个。</translation>
    </message>
    <message>
      <source>{0}: no data file {1}; it holds {2}.</source>
      <translation>{0}：没有数据文件 {1}；其中有 {2}。</translation>
    </message>
    <message>
      <source>{0}: the zip holds no shapefile, GeoPackage, GeoJSON or CSV.</source>
      <translation>{0}：压缩包中没有 shapefile、GeoPackage、GeoJSON 或 CSV 文件。</translation>
    </message>
    <message>
      <source>{0}: no coordinate columns (x/y, lon/lat, 经度/纬度) and no wkt column: enter the x and y columns.</source>
      <translation>{0}：没有坐标列（x/y、lon/lat、经度/纬度），也没有 wkt 列：请填写 x 列和 y 列。</translation>
    </message>
    <message>
      <source>{0}: no column {1}; the columns are {2}.</source>
      <translation>{0}：没有 {1} 列；现有的列为 {2}。</translation>
    </message>
    <message>
      <source>The x and y columns go together: enter both or neither.</source>
      <translation>x 列和 y 列须同时填写或同时留空。</translation>
    </message>
    <message>
      <source>{0}: cannot read the mapping: {1}</source>
      <translation>{0}：无法读取字段映射：{1}</translation>
    </message>
    <message>
      <source>{0}: a mapping is a JSON object of store column -&gt; file field.</source>
      <translation>{0}：字段映射应为“数据库列 -&gt; 文件字段”的 JSON 对象。</translation>
    </message>
    <message>
      <source>The mapping names {0}, which the layer does not have; its columns are {2}.</source>
      <translation>字段映射中的 {0} 不是该图层的列；图层的列为 {2}。</translation>
    </message>
    <message>
      <source>The mapping names file field(s) {0}, which the file does not have; its fields are {1}.</source>
      <translation>字段映射中的文件字段 {0} 在文件中不存在；文件的字段为 {1}。</translation>
    </message>
    <message>
      <source>{0}: no field for the component ID (mapping {1}).</source>
      <translation>{0}：没有部件标识码字段（对照为 {1}）。</translation>
    </message>
    <message>
      <source>lies outside the managed area (in no unit grid)</source>
      <translation>位于管理范围之外（不在任何单元网格内）</translation>
    </message>
    <message>
      <source>the ID is retired ({0}): a retired ID never becomes current again; give the component a new ID</source>
      <translation>该标识码已注销（{0}）：注销的标识码不能再启用；请给部件新的标识码</translation>
    </message>
    <message>
      <source>unit grid {0} is retired; a retired code never becomes current again: give it a new code</source>
      <translation>单元网格 {0} 已注销；注销的编码不能再启用：请给它新的编码</translation>
    </message>
    <message>
      <source>duplicate ID (also {0})</source>
      <translation>标识码重复（{0} 也是）</translation>
    </message>
    <message>
      <source>unknown class {0}</source>
      <translation>未知小类 {0}</translation>
    </message>
    <message>
      <source>class {0} is a {1} class, the geometry is a {2}</source>
      <translation>小类 {0} 是{1}状部件，几何却是 {2}</translation>
    </message>
    <message>
      <source>the ID says class {0}, the class field says {1}</source>
      <translation>标识码中的小类为 {0}，小类字段为 {1}</translation>
    </message>
    <message>
      <source>the ID is of district {0}, the store is {1}</source>
      <translation>标识码属于区县 {0}，数据库是 {1}</translation>
    </message>
    <message>
      <source>unknown {0} unit {1}</source>
      <translation>未知的{0}单位 {1}</translation>
    </message>
    <message>
      <source>{0} {1} is not one of {2}</source>
      <translation>{0} {1} 不是 {2} 之一</translation>
    </message>
    <message>
      <source>no geometry</source>
      <translation>没有几何</translation>
    </message>
    <message>
      <source>empty geometry</source>
      <translation>几何为空</translation>
    </message>
    <message>
      <source>a {0} of {1} parts: tick “Each part of a multi-part geometry its own component” to import each part</source>
      <translation>{0} 有 {1} 个部分：勾选“多部件几何的每一部分各成一个部件”可分别导入</translation>
    </message>
    <message>
      <source>invalid geometry that cannot be repaired ({0})</source>
      <translation>无效几何，无法修复（{0}）</translation>
    </message>
    <message>
      <source>invalid geometry ({0}); repairing it gives {1} parts and keeping one would lose part of it: fix it in the source or tick “Allow a repair that keeps only the largest part”</source>
      <translation>无效几何（{0}）；修复后成为 {1} 个部分，只保留一个会丢失一部分：请在源数据中修正，或勾选“允许只保留最大部分的修复”</translation>
    </message>
    <message>
      <source>invalid geometry ({0})</source>
      <translation>无效几何（{0}）</translation>
    </message>
    <message>
      <source>{0} {1}: there is no such {2}; the choices are {4}</source>
      <translation>{0} {1}：没有这样的{2}；可选的有 {4}</translation>
    </message>
    <message>
      <source>The period starts ({0}) after it ends ({1}): no incident can be in it.</source>
      <translation>时段的开始（{0}）不早于结束（{1}）：不会有案件在其中。</translation>
    </message>
    <message>
      <source>There is no responsible unit {0}.</source>
      <translation>没有责任单位 {0}。</translation>
    </message>
    <message>
      <source>Unit {0} has no components (as {1}): there is no package to write.</source>
      <translation>单位 {0} 没有（作为{1}单位的）部件：没有可写的数据包。</translation>
    </message>
    <message>
      <source>{0}: cannot write: {1}</source>
      <translation>{0}：无法写入：{1}</translation>
    </message>
    <message>
      <source>{0} is being written by another program; try again.</source>
      <translation>{0} 正被其他程序写入；请稍后再试。</translation>
    </message>
    <message>
      <source>{0} would change or remove more than {3} of the {2} routing rules; nothing was written. Check the file, or import it allowing removals.</source>
      <translation>{0} 将改动或删除 {2} 条派遣规则中的 {3} 以上；未写入任何内容。请检查文件，或允许删除后再导入。</translation>
    </message>
    <message>
      <source>field {0}, row {1}</source>
      <translation>字段 {0} 第 {1} 行</translation>
    </message>
    <message>
      <source>line {0}</source>
      <translation>第 {0} 行</translation>
    </message>
  </context>
  <context>
    <name>Plugins</name>
    <message>
      <source>Plugins</source>
      <translation>插件</translation>
    </message>
    <message>
      <source>Plugin</source>
      <translation>插件</translation>
    </message>
    <message>
      <source>Version</source>
      <translation>版本</translation>
    </message>
    <message>
      <source>From</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Plugins from the plugins/ folder and installed packages. Switching one on or off takes effect when gridmap starts again.</source>
      <translation>来自 plugins/ 文件夹和已安装软件包的插件。启用或停用在 gridmap 下次启动时生效。</translation>
    </message>
    <message>
      <source>running</source>
      <translation>运行中</translation>
    </message>
    <message>
      <source>off</source>
      <translation>已停用</translation>
    </message>
  </context>
  <context>
    <name>Posters</name>
    <message>
      <source>grid leader</source>
      <translation>网格长</translation>
    </message>
    <message>
      <source>grid manager</source>
      <translation>网格员</translation>
    </message>
    <message>
      <source>police officer</source>
      <translation>民警</translation>
    </message>
    <message>
      <source>(none yet)</source>
      <translation>（暂无）</translation>
    </message>
    <message>
      <source>(no roster yet)</source>
      <translation>（暂无名单）</translation>
    </message>
    <message>
      <source>Grid notice board</source>
      <translation>网格公示牌</translation>
    </message>
    <message>
      <source>Supervisors</source>
      <translation>监督员</translation>
    </message>
    <message>
      <source>Community grids and their people</source>
      <translation>社区网格及责任人</translation>
    </message>
    <message>
      <source>Print notice boards</source>
      <translation>打印网格公示牌</translation>
    </message>
    <message>
      <source>Paper size:</source>
      <translation>纸张大小：</translation>
    </message>
    <message>
      <source>Folder for the notice boards</source>
      <translation>公示牌保存文件夹</translation>
    </message>
    <message>
      <source>Area {0:.2f} km² · {1} unit grids · {2} components · {3} open cases</source>
      <translation>面积 {0:.2f} 平方公里 · 单元网格 {1} 个 · 部件 {2} 个 · 在办案件 {3} 件</translation>
    </message>
    <message>
      <source>Printed {0} · scan the code for the grid code · gridmap</source>
      <translation>印制日期 {0} · 扫码获取网格编码 · gridmap</translation>
    </message>
    <message>
      <source>{0} page(s) written to {1}.</source>
      <translation>已写出 {0} 页：{1}。</translation>
    </message>
  </context>
  <context>
    <name>Presence</name>
    <message>
      <source>Mark all as seen</source>
      <translation>全部标为已读</translation>
    </message>
    <message>
      <source>One desk works on this file.</source>
      <translation>此文件只供一个工作台使用。</translation>
    </message>
    <message>
      <source>Nothing changed since you last looked.</source>
      <translation>自上次查看以来没有变化。</translation>
    </message>
    <message>
      <source>{0}{1} — since {2}</source>
      <translation>{0}{1} — 自 {2} 起</translation>
    </message>
    <message>
      <source>Signed in now: {0}</source>
      <translation>当前在线：{0} 人</translation>
    </message>
    <message>
      <source>{0} change(s) since you last looked.</source>
      <translation>自上次查看以来有 {0} 项变化。</translation>
    </message>
  </context>
  <context>
    <name>QgisPlugin</name>
    <message>
      <source>Panels</source>
      <translation>面板</translation>
    </message>
    <message>
      <source>gridmap</source>
      <translation>gridmap</translation>
    </message>
    <message>
      <source>Open a gridmap file</source>
      <translation>打开 gridmap 文件</translation>
    </message>
    <message>
      <source>gridmap files (*.sqlite *.gridmap *.db);;All files (*)</source>
      <translation>gridmap 文件 (*.sqlite *.gridmap *.db);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Open a PostGIS database</source>
      <translation>打开 PostGIS 数据库</translation>
    </message>
    <message>
      <source>Connection (postgresql://user@host:port/database or service=NAME):</source>
      <translation>连接（postgresql://用户@主机:端口/数据库 或 service=名称）：</translation>
    </message>
    <message>
      <source>Open gridmap store...</source>
      <translation>打开 gridmap 数据...</translation>
    </message>
    <message>
      <source>Open gridmap PostGIS database...</source>
      <translation>打开 gridmap PostGIS 数据库...</translation>
    </message>
    <message>
      <source>Cannot open the store</source>
      <translation>无法打开数据</translation>
    </message>
    <message>
      <source>gridmap needs Python packages QGIS does not ship: {0}. Install them for QGIS's Python (README: 'gridmap in QGIS desktop') and restart QGIS.</source>
      <translation>gridmap 需要 QGIS 未附带的 Python 软件包：{0}。请为 QGIS 的 Python 安装它们（见 README“gridmap in QGIS desktop”）并重启 QGIS。</translation>
    </message>
  </context>
  <context>
    <name>RegisterDesk</name>
    <message>
      <source>&amp;Register</source>
      <translation>部件台账(&amp;R)</translation>
    </message>
    <message>
      <source>Show the register on a date...</source>
      <translation>显示某日的部件台账...</translation>
    </message>
    <message>
      <source>Census merge...</source>
      <translation>普查更新合并...</translation>
    </message>
    <message>
      <source>Record an inspection of the component in the inspector...</source>
      <translation>为巡查面板中的部件记录巡查...</translation>
    </message>
    <message>
      <source>Show components by days since their last inspection</source>
      <translation>按距上次巡查天数显示部件</translation>
    </message>
    <message>
      <source>Show where the supervisors are (live)</source>
      <translation>实时显示监督员位置</translation>
    </message>
    <message>
      <source>The register on a date</source>
      <translation>某日的部件台账</translation>
    </message>
    <message>
      <source>Inspection</source>
      <translation>巡查</translation>
    </message>
    <message>
      <source>Click a component with the Identify tool first.</source>
      <translation>请先用识别工具单击一个部件。</translation>
    </message>
    <message>
      <source>Sign in first: an inspection names its supervisor.</source>
      <translation>请先登录：巡查记录须注明监督员。</translation>
    </message>
    <message>
      <source>Inspection recorded.</source>
      <translation>巡查已记录。</translation>
    </message>
    <message>
      <source>Show the components in use at the end of:</source>
      <translation>显示该日结束时在用的部件：</translation>
    </message>
    <message>
      <source>Inspection recorded; case {0} opened.</source>
      <translation>巡查已记录；已立案上报 {0}。</translation>
    </message>
    <message>
      <source>{0} supervisor(s) on the map today</source>
      <translation>今日 {0} 名监督员在图上</translation>
    </message>
  </context>
  <context>
    <name>RegisterOnDate</name>
    <message>
      <source>Point components on {0}</source>
      <translation>{0} 的点状部件</translation>
    </message>
    <message>
      <source>Line components on {0}</source>
      <translation>{0} 的线状部件</translation>
    </message>
    <message>
      <source>Polygon components on {0}</source>
      <translation>{0} 的面状部件</translation>
    </message>
    <message>
      <source>Register on {0}</source>
      <translation>{0} 的部件台账</translation>
    </message>
  </context>
  <context>
    <name>ResponsibilityDock</name>
    <message>
      <source>Units</source>
      <translation>责任单位</translation>
    </message>
    <message>
      <source>Routing</source>
      <translation>派遣规则</translation>
    </message>
    <message>
      <source>Gaps and supervisors</source>
      <translation>缺漏与监督员</translation>
    </message>
  </context>
  <context>
    <name>RoutingPanel</name>
    <message>
      <source>Event classes</source>
      <translation>事件类别</translation>
    </message>
    <message>
      <source>Component classes</source>
      <translation>部件类别</translation>
    </message>
    <message>
      <source>by responsibility grid</source>
      <translation>按责任网格</translation>
    </message>
    <message>
      <source>by community</source>
      <translation>按社区</translation>
    </message>
    <message>
      <source>Colour grids by the unit for the chosen class</source>
      <translation>按所选类别的处置单位为网格着色</translation>
    </message>
    <message>
      <source>Colour grids by supervisor</source>
      <translation>按监督员为网格着色</translation>
    </message>
    <message>
      <source>Normal colours</source>
      <translation>恢复默认颜色</translation>
    </message>
    <message>
      <source>Grey: the class-wide default applies. Yellow, bold: an override for that area. Double-click a cell to change it.</source>
      <translation>灰色：适用该类别的默认单位。黄色粗体：该区域的特别规定。双击单元格可修改。</translation>
    </message>
    <message>
      <source>Unit:</source>
      <translation>单位：</translation>
    </message>
    <message>
      <source>Supervisors</source>
      <translation>监督员</translation>
    </message>
    <message>
      <source>(use the default)</source>
      <translation>（使用默认单位）</translation>
    </message>
    <message>
      <source>nobody</source>
      <translation>无人处置</translation>
    </message>
    <message>
      <source>no supervisor</source>
      <translation>无监督员</translation>
    </message>
    <message>
      <source>Default</source>
      <translation>默认</translation>
    </message>
    <message>
      <source>Who handles {0}?</source>
      <translation>{0} 由谁处置？</translation>
    </message>
    <message>
      <source>Routing</source>
      <translation>派遣规则</translation>
    </message>
    <message>
      <source>Who handles {0}</source>
      <translation>{0} 的处置单位</translation>
    </message>
  </context>
  <context>
    <name>SearchPanel</name>
    <message>
      <source>Component ID, grid code, case code or name</source>
      <translation>部件标识码、网格编码、案件编号或名称</translation>
    </message>
    <message>
      <source>Component</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Unit grid</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Responsibility grid</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Community grid</source>
      <translation>社区网格</translation>
    </message>
    <message>
      <source>Community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Street / town</source>
      <translation>街道/乡镇</translation>
    </message>
    <message>
      <source>Incident</source>
      <translation>案件</translation>
    </message>
    <message>
      <source>{0} · other names</source>
      <translation>{0} · 其他名称</translation>
    </message>
    <message>
      <source>No match for “{0}”.</source>
      <translation>没有与“{0}”匹配的结果。</translation>
    </message>
    <message>
      <source>{0:,} matches in {1} groups; the best first.</source>
      <translation>共 {0:,} 条结果，分 {1} 组，最匹配的在前。</translation>
    </message>
    <message>
      <source>Showing {0} of {1:,} — select all {1:,} on the map</source>
      <translation>显示 {0} / {1:,} 条 — 在地图上选中全部 {1:,} 个</translation>
    </message>
    <message>
      <source>Open all {0:,} in the attribute table</source>
      <translation>在属性表中打开全部 {0:,} 个</translation>
    </message>
  </context>
  <context>
    <name>SignIn</name>
    <message>
      <source>planner</source>
      <translation>规划员</translation>
    </message>
    <message>
      <source>acceptor</source>
      <translation>受理员</translation>
    </message>
    <message>
      <source>dispatcher</source>
      <translation>派遣员</translation>
    </message>
    <message>
      <source>responsible unit</source>
      <translation>责任单位</translation>
    </message>
    <message>
      <source>supervisor</source>
      <translation>监督员</translation>
    </message>
    <message>
      <source>data manager</source>
      <translation>数据管理员</translation>
    </message>
    <message>
      <source>viewer</source>
      <translation>查看者</translation>
    </message>
    <message>
      <source>administrator</source>
      <translation>管理员</translation>
    </message>
    <message>
      <source>Not signed in</source>
      <translation>未登录</translation>
    </message>
    <message>
      <source>Sign in</source>
      <translation>登录</translation>
    </message>
    <message>
      <source>Click to sign in as another person</source>
      <translation>点击以其他人员身份登录</translation>
    </message>
    <message>
      <source>Signed in: {0} ({1})</source>
      <translation>当前办理人：{0}（{1}）</translation>
    </message>
    <message>
      <source>Who is working at this desk? Every case step is recorded under this name.</source>
      <translation>谁在使用这台工作站？每个办案环节都以此人记录。</translation>
    </message>
    <message>
      <source>Signed in: {0} ({1}), {2}</source>
      <translation>已登录：{0}（{1}），{2}</translation>
    </message>
  </context>
  <context>
    <name>StoreLayers</name>
    <message>
      <source>Incidents</source>
      <translation>案件</translation>
    </message>
    <message>
      <source>Components</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Point components</source>
      <translation>点状部件</translation>
    </message>
    <message>
      <source>Line components</source>
      <translation>线状部件</translation>
    </message>
    <message>
      <source>Polygon components</source>
      <translation>面状部件</translation>
    </message>
    <message>
      <source>Grids</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Responsibility grids</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Community grids</source>
      <translation>社区网格</translation>
    </message>
    <message>
      <source>Boundaries</source>
      <translation>行政区划</translation>
    </message>
    <message>
      <source>Communities</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Streets and towns</source>
      <translation>街道和乡镇</translation>
    </message>
    <message>
      <source>District</source>
      <translation>区</translation>
    </message>
    <message>
      <source>Base map</source>
      <translation>底图</translation>
    </message>
    <message>
      <source>Roads and river</source>
      <translation>道路和河流</translation>
    </message>
  </context>
  <context>
    <name>TrendChart</name>
    <message>
      <source>Registered cases</source>
      <translation>立案数</translation>
    </message>
    <message>
      <source>Month</source>
      <translation>月份</translation>
    </message>
    <message>
      <source>On-time closure rate (%)</source>
      <translation>按期结案率（%）</translation>
    </message>
    <message>
      <source>{0}: {1:,} registered, on-time closure {2}</source>
      <translation>{0}：立案 {1:,} 件，按期结案率 {2}</translation>
    </message>
    <message>
      <source>Month ({0})</source>
      <translation>月份（{0} 年）</translation>
    </message>
  </context>
  <context>
    <name>UnitsPanel</name>
    <message>
      <source>Maintainer unit</source>
      <translation>养护单位</translation>
    </message>
    <message>
      <source>Owner unit</source>
      <translation>权属单位</translation>
    </message>
    <message>
      <source>Competent unit</source>
      <translation>主管部门</translation>
    </message>
    <message>
      <source>Responsible unit</source>
      <translation>责任单位</translation>
    </message>
    <message>
      <source>Code (credit code or local code)</source>
      <translation>编码（统一社会信用代码或本地编码）</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Contact</source>
      <translation>联系方式</translation>
    </message>
    <message>
      <source>A unit needs a name.</source>
      <translation>责任单位需要名称。</translation>
    </message>
    <message>
      <source>Set on components</source>
      <translation>设置到部件</translation>
    </message>
    <message>
      <source>Components selected on the map</source>
      <translation>地图上选中的部件</translation>
    </message>
    <message>
      <source>All components of a class</source>
      <translation>某一类别的全部部件</translation>
    </message>
    <message>
      <source>Apply</source>
      <translation>应用</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>单位</translation>
    </message>
    <message>
      <source>Within</source>
      <translation>范围</translation>
    </message>
    <message>
      <source>the whole district</source>
      <translation>全区</translation>
    </message>
    <message>
      <source>Retire or merge</source>
      <translation>撤销或合并</translation>
    </message>
    <message>
      <source>Its components, routing and open cases pass to:</source>
      <translation>其部件、派遣规则和未结案件移交给：</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>New...</source>
      <translation>新建...</translation>
    </message>
    <message>
      <source>Edit...</source>
      <translation>编辑...</translation>
    </message>
    <message>
      <source>Retire / merge...</source>
      <translation>撤销/合并...</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>active</source>
      <translation>在用</translation>
    </message>
    <message>
      <source>Responsible units</source>
      <translation>责任单位</translation>
    </message>
    <message>
      <source>Select components on the map first.</source>
      <translation>请先在地图上选择部件。</translation>
    </message>
    <message>
      <source>{0} component(s) changed.</source>
      <translation>已修改 {0} 个部件。</translation>
    </message>
    <message>
      <source>retired → {0}</source>
      <translation>已撤销 → {0}</translation>
    </message>
  </context>
  <context>
    <name>Workspace</name>
    <message>
      <source>Search</source>
      <translation>搜索</translation>
    </message>
    <message>
      <source>Inspector</source>
      <translation>查看</translation>
    </message>
    <message>
      <source>Identify</source>
      <translation>识别</translation>
    </message>
    <message>
      <source>Component filter</source>
      <translation>部件筛选</translation>
    </message>
    <message>
      <source>Incident filter</source>
      <translation>案件筛选</translation>
    </message>
    <message>
      <source>Find...</source>
      <translation>查找...</translation>
    </message>
    <message>
      <source>Open attribute table</source>
      <translation>打开属性表</translation>
    </message>
    <message>
      <source>Export for other bureaus...</source>
      <translation>导出给其他部门...</translation>
    </message>
    <message>
      <source>Import from a file...</source>
      <translation>从文件导入...</translation>
    </message>
    <message>
      <source>Print notice boards...</source>
      <translation>打印网格公示牌...</translation>
    </message>
    <message>
      <source>Responsibility</source>
      <translation>责任</translation>
    </message>
    <message>
      <source>New cases</source>
      <translation>新案件</translation>
    </message>
    <message>
      <source>Who and what changed</source>
      <translation>在线与变化</translation>
    </message>
    <message>
      <source>Sign in...</source>
      <translation>登录...</translation>
    </message>
    <message>
      <source>Case</source>
      <translation>案件办理</translation>
    </message>
    <message>
      <source>Evaluation</source>
      <translation>综合评价</translation>
    </message>
    <message>
      <source>Hotspots</source>
      <translation>热点分析</translation>
    </message>
    <message>
      <source>&amp;Plugins</source>
      <translation>插件(&amp;P)</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>Plugins...</source>
      <translation>插件...</translation>
    </message>
    <message>
      <source>Attribute table</source>
      <translation>属性表</translation>
    </message>
    <message>
      <source>Choose a layer in the layer tree first.</source>
      <translation>请先在图层树中选择一个图层。</translation>
    </message>
    <message>
      <source>Selected {0:,} on the map: {1}</source>
      <translation>已在地图上选中 {0:,} 个：{1}</translation>
    </message>
    <message>
      <source>Attributes: {0}</source>
      <translation>属性：{0}</translation>
    </message>
    <message>
      <source>New cases ({0})</source>
      <translation>新案件（{0}）</translation>
    </message>
  </context>
</TS>
