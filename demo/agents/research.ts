import { handoff, invokeAgent, runGenAiAgent, type AgentProfile, type ToolDefinition } from "@/demo/agents/genai";
import type { AgentOptions, AgentRun } from "@/demo/agents/types";

/**
 * A research lead (Claude) hands the legwork to a web-researcher sub-agent (GPT-4o), which searches, reads two pages
 * and reports back; the lead then writes the brief. Hand-written loop, GenAI conventions, OTLP/HTTP JSON:
 *
 *   invoke_agent research-lead
 *   ├─ chat claude-sonnet-4-5        decides transfer_to_web_researcher
 *   ├─ handoff web-researcher        gen_ai.handoff.from_agent / to_agent
 *   ├─ invoke_agent web-researcher
 *   │  ├─ chat gpt-4o                decides search_web
 *   │  ├─ execute_tool search_web
 *   │  ├─ chat gpt-4o                decides fetch_page ×2 (one decision, two calls)
 *   │  ├─ execute_tool fetch_page ×2
 *   │  └─ chat gpt-4o                findings
 *   └─ chat claude-sonnet-4-5        the brief (its context answers the transfer call with the findings)
 *
 * Sources are fictional (`.example` hosts): this is demo data.
 */
export type ResearchTopic = keyof typeof TOPICS;
export type ResearchOptions = AgentOptions & { topic?: ResearchTopic };

export const RESEARCH = {
  service: "research-assistant",
  lead: "research-lead",
  researcher: "web-researcher",
  transferTool: "transfer_to_web_researcher",
} as const;

const LEAD: AgentProfile = {
  name: RESEARCH.lead,
  description: "Plans research questions, delegates source gathering and writes the final brief.",
  model: { provider: "anthropic", request: "claude-sonnet-4-5", response: "claude-sonnet-4-5-20250929", maxTokens: 4096 },
  system:
    "You are a research lead preparing decision briefs for non-specialists. Delegate source gathering to the web " +
    "researcher, then write a brief with concrete numbers, each tied to its source. Flag weak or conflicting evidence.",
  tools: [
    {
      name: RESEARCH.transferTool,
      description: "Hand the source-gathering task to the web researcher agent.",
      parameters: { type: "object", properties: { task: { type: "string" } }, required: ["task"] },
    },
  ],
};

const SEARCH_WEB: ToolDefinition = {
  name: "search_web",
  description: "Search the web; returns the top results with title, URL and snippet.",
  parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
};
const FETCH_PAGE: ToolDefinition = {
  name: "fetch_page",
  description: "Fetch a web page and return its main text.",
  parameters: { type: "object", properties: { url: { type: "string" } }, required: ["url"] },
};

const RESEARCHER: AgentProfile = {
  name: RESEARCH.researcher,
  description: "Searches the web and reads pages; reports numbers with their sources.",
  model: { provider: "openai", request: "gpt-4o", response: "gpt-4o-2024-08-06", temperature: 0.2 },
  system:
    "You are a web researcher. Search, read the most relevant pages, and report the key numbers with their sources. " +
    "Never invent figures; say when sources disagree.",
  tools: [SEARCH_WEB, FETCH_PAGE],
};

type Topic = {
  question: string;
  ack: string;
  task: string;
  query: string;
  results: { title: string; url: string; snippet: string }[];
  pages: Record<string, string>;
  findings: string;
  brief: string;
};

const TOPICS = {
  "heat-pumps": {
    question:
      "Are air-source heat pumps worth it for our offices in cold climates (Minneapolis, Oulu)? I need a one-page " +
      "brief with numbers for the facilities board on Thursday.",
    ack: "I'll have the web researcher collect recent field data on cold-climate performance and costs, then write the brief.",
    task:
      "Find 2023–2025 field studies of air-source heat pumps below −15 °C: seasonal COP, capacity retention, backup " +
      "heat hours, installed cost and payback versus gas and oil for commercial buildings. Return numbers with sources.",
    query: "cold climate air source heat pump field study COP -15C commercial payback 2024",
    results: [
      {
        title: "Cold-Climate Heat Pump Field Assessment: 12 Sites, Two Winters",
        url: "https://buildings-lab.example/reports/cold-climate-hp-field-2024",
        snippet: "Seasonal COP averaged 2.6 across 12 sites; capacity retention at −15 °C ranged from 80 to 100 percent…",
      },
      {
        title: "Commercial heat pump retrofits in the Nordics: costs and paybacks",
        url: "https://nordic-energy-review.example/heat-pump-retrofits",
        snippet: "Installed costs of €310–€540 per kW of heating capacity; paybacks of 6–11 years against oil…",
      },
      {
        title: "Heat pumps: myths and facts (blog)",
        url: "https://hvac-talk.example/blog/heat-pump-myths",
        snippet: "Do heat pumps really work when it is freezing? We asked three installers…",
      },
    ],
    pages: {
      "https://buildings-lab.example/reports/cold-climate-hp-field-2024":
        "Across 12 monitored buildings over two winters, seasonal COP averaged 2.6 (range 2.1–3.2). At −15 °C units " +
        "delivered 80–100% of rated capacity at COP 1.9–2.3. Below −25 °C, electric backup heat ran for 6% of heating " +
        "hours on average. Sites with oversized ductwork and weather-compensated controls performed best.",
      "https://nordic-energy-review.example/heat-pump-retrofits":
        "Installed costs for 40 commercial retrofits were €310–€540 per kW of heating capacity. Simple payback was " +
        "6–11 years against heating oil and 12–18 years against district heating or natural gas at 2024 prices. " +
        "Maintenance costs were 20–30% lower than for the boilers they replaced.",
    },
    findings:
      "Key numbers: seasonal COP 2.6 on average (2.1–3.2) across 12 cold-climate sites; 80–100% of rated capacity at " +
      "−15 °C with COP 1.9–2.3; backup resistance heat 6% of heating hours below −25 °C " +
      "(buildings-lab.example field assessment). Installed €310–€540 per kW; payback 6–11 years vs oil, 12–18 years " +
      "vs gas or district heat; maintenance 20–30% lower (nordic-energy-review.example). The third result was an " +
      "installer blog and I did not use it.",
    brief:
      "Heat pumps for our cold-climate offices — brief for the facilities board\n\n" +
      "1. They work in the cold: field data from 12 sites shows a seasonal COP of 2.6 and 80–100% of rated capacity " +
      "at −15 °C; backup heat ran only 6% of the time below −25 °C.\n" +
      "2. Costs: €310–€540 per kW installed. Payback is 6–11 years where we burn oil (Oulu) but 12–18 years against " +
      "gas (Minneapolis).\n" +
      "3. Recommendation: pilot in Oulu first; revisit Minneapolis when the gas contract renews.\n\n" +
      "Caveat: both sources are single studies; costs vary widely with ductwork condition.",
  },
  "four-day-week": {
    question: "What does the evidence say about four-day work weeks and productivity? HR wants the strongest studies only.",
    ack: "I'll ask the web researcher for the large controlled trials, then summarise what holds up.",
    task:
      "Find the largest four-day-week trials since 2019 with measured productivity or revenue outcomes, staff " +
      "retention and sick days. Prefer peer-reviewed or independently evaluated trials; return numbers and sources.",
    query: "four day work week trial productivity results independent evaluation",
    results: [
      {
        title: "The four-day week pilot: final evaluation of 61 companies",
        url: "https://work-futures.example/four-day-week-pilot-evaluation",
        snippet: "56 of 61 companies continued the four-day week; revenue stayed broadly the same over the trial…",
      },
      {
        title: "Reduced working time and sick leave: evidence from public-sector trials",
        url: "https://labour-economics.example/reduced-hours-public-sector",
        snippet: "Sick days fell by 65% in one municipal trial; effects on service output were not measured…",
      },
    ],
    pages: {
      "https://work-futures.example/four-day-week-pilot-evaluation":
        "61 companies (about 2,900 employees) ran a six-month trial. 56 continued afterwards, 18 permanently. " +
        "Revenue rose 1.4% on average over the trial (weighted by company size). Resignations fell 57% and sick days " +
        "65% compared with the same period a year earlier. Productivity was self-reported by most firms.",
      "https://labour-economics.example/reduced-hours-public-sector":
        "A municipal trial with 2,500 staff cut hours without cutting pay. Sick leave fell and self-rated wellbeing " +
        "improved; service output was not measured consistently, so productivity effects remain uncertain.",
    },
    findings:
      "Largest private-sector trial: 61 companies, ~2,900 staff, six months; 56 continued, revenue +1.4% on average, " +
      "resignations −57%, sick days −65%, but productivity mostly self-reported (work-futures.example). Public-sector " +
      "trial with 2,500 staff: sick leave down, wellbeing up, output not measured (labour-economics.example).",
    brief:
      "Four-day week — what the evidence supports\n\n" +
      "• Retention and health effects are consistent: resignations −57% and sick days −65% in the largest trial.\n" +
      "• Revenue held steady (+1.4%), but productivity was mostly self-reported: treat it as 'no measurable loss', " +
      "not a gain.\n" +
      "• Public-sector evidence is weaker (output not measured).\n\n" +
      "Suggestion: a six-month pilot in one department with agreed output metrics before and after.",
  },
} satisfies Record<string, Topic>;

export async function runResearchAgent(o: ResearchOptions): Promise<AgentRun> {
  const topic: Topic = TOPICS[o.topic ?? "heat-pumps"];
  return runGenAiAgent(o, { name: RESEARCH.service, version: "0.9.3", protocol: "json" }, LEAD, async (lead, run) => {
    lead.user(topic.question);
    const [transfer] = await lead.chat(
      { text: topic.ack, toolCalls: [{ name: RESEARCH.transferTool, arguments: { task: topic.task } }] },
      [1200, 2600],
    );
    handoff(run, lead.context, RESEARCH.lead, RESEARCH.researcher, topic.task);
    const findings = await invokeAgent(run, RESEARCHER, lead.context, async (researcher) => {
      researcher.user(topic.task);
      const [search] = await researcher.chat({ toolCalls: [{ name: SEARCH_WEB.name, arguments: { query: topic.query } }] });
      await researcher.tool(search!, async () => ({ query: topic.query, results: topic.results }), [400, 1100]);
      const reads = await researcher.chat({
        text: "The first two results are primary sources; reading both.",
        toolCalls: Object.keys(topic.pages).map((url) => ({ name: FETCH_PAGE.name, arguments: { url } })),
      });
      for (const read of reads)
        await researcher.tool(read, async ({ url }) => ({ url, text: topic.pages[String(url)] ?? "" }), [300, 900]);
      await researcher.chat({ text: topic.findings }, [1500, 3000]);
      return topic.findings;
    });
    lead.respond(transfer!, { agent: RESEARCH.researcher, findings });
    await lead.chat({ text: topic.brief }, [2500, 4500]);
    return topic.brief;
  });
}
