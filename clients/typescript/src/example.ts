// A front end reading the newsroom over API v3 with types generated from its OpenAPI
// document (`npm run generate`). `npm run check` fails when the API changes in a way that
// breaks this code: that is its purpose.
import type { components, paths } from "./api";

type Article = components["schemas"]["ArticlePageSchema"];
type BodyBlock = NonNullable<Article["body"]>[number];
type PageList =
  paths["/api/v3/pages/"]["get"]["responses"]["200"]["content"]["application/json"];

const BASE = "https://news.example.com/api/v3";

async function getJSON<T>(path: string): Promise<T> {
  const response = await fetch(`${BASE}${path}`);
  if (!response.ok) {
    const problem: components["schemas"]["ProblemDetail"] = await response.json();
    throw new Error(`${problem.status} ${problem.title}: ${problem.detail ?? ""}`);
  }
  return (await response.json()) as T;
}

/** One article, as a page template would render it. */
export async function articlePage(id: number): Promise<string> {
  const article = await getJSON<Article>(`/pages/${id}/`);
  const byline = (article.authors ?? []).map((author) => author.name).join(", ");
  const large = article.lead_image?.renditions["large"];
  const lead = large
    ? `<picture><source type="image/avif" srcset="${large.formats.avif}">` +
      `<source type="image/webp" srcset="${large.formats.webp}"><img src="${large.url}"></picture>`
    : "";
  const body = (article.body ?? []).map(renderBlock).join("\n");
  const related = (article.related_articles ?? [])
    .map((card) => `<a href="${card.url}">${card.title}</a> ${card.teaser}`)
    .join("\n");
  const published = article.first_published_at ?? "";
  return [article.title, article.intro ?? "", byline, published, lead, body, related].join("\n");
}

function renderBlock(block: BodyBlock): string {
  switch (block.type) {
    case "paragraph":
      return block.value;
    case "heading":
      return `<h2>${block.value}</h2>`;
    case "image":
      return block.value
        ? `<figure><img src="${block.value.renditions["medium"]?.url}" alt="${block.value.alt}">` +
            `<figcaption>${block.value.caption} ${block.value.credit}</figcaption></figure>`
        : "";
    case "quote":
      return `<blockquote>${block.value.quote} — ${block.value.attribution}</blockquote>`;
    case "embed":
      return block.value?.html ?? "";
  }
}

/** A section's newest stories: ids and titles of its children. */
export async function sectionListing(sectionId: number): Promise<string[]> {
  const listing = await getJSON<PageList>(`/pages/?child_of=${sectionId}&limit=20`);
  return listing.items.map((item) => `${item.id}: ${item.title}`);
}

type NinjsItem =
  paths["/api/v3/pages/{page_id}/ninjs/"]["get"]["responses"]["200"]["content"]["application/json"];
type Ninjs3Item = components["schemas"]["Ninjs3Item"];

function isNinjs3(item: NinjsItem): item is Ninjs3Item {
  return "standard" in item && item.standard.version === "3.1";
}

/** A syndication partner reading a story as ninjs 3.x: headline, byline, body, picture. */
export async function ninjsStory(id: number): Promise<string> {
  const item = await getJSON<NinjsItem>(`/pages/${id}/ninjs/?version=3`);
  if (!isNinjs3(item)) {
    throw new Error("Asked for ninjs 3.x");
  }
  const headline = item.headlines.find((text) => text.role === "main")?.value ?? "";
  const body = item.bodies?.find((part) => part.contentType === "text/html")?.value ?? "";
  const picture = item.associations?.find((association) => association.name === "featureimage");
  const large = picture?.renditions.find((rendition) => rendition.name === "large")?.href ?? "";
  return [headline, item.by ?? "", item.versionCreated ?? "", body, large].join("\n");
}
