// Seeds the benchmark newsroom through Strapi's own document service (as an editor's saves
// would store it): `node seed.js DIR`, where DIR holds articles.json and pictures/ written by
// `manage.py load_versus_strapi_data --export DIR`, so both systems serve the same articles.
// Does nothing when the articles are already there.
const fs = require('node:fs');
const path = require('node:path');

const createApp = require('./app');

const BATCH = 50;

function paragraphBlocks(block) {
  return [
    {
      type: 'paragraph',
      children: [
        { type: 'text', text: block.before },
        { type: 'link', url: block.href, children: [{ type: 'text', text: block.link_text }] },
        { type: 'text', text: block.after },
      ],
    },
  ];
}

function bodyOf(article, pictures) {
  return article.body.map((block) => {
    if (block.type === 'paragraph') {
      return { __component: 'article.paragraph', text: paragraphBlocks(block) };
    }
    if (block.type === 'heading') return { __component: 'article.heading', text: block.text };
    return {
      __component: 'article.image',
      image: pictures[block.picture],
      caption: block.caption,
      credit: block.credit,
      alt: '',
    };
  });
}

async function uploadPictures(strapi, directory, count) {
  const upload = strapi.plugin('upload').service('upload');
  const ids = [];
  for (let n = 0; n < count; n += 1) {
    const filepath = path.join(directory, 'pictures', `picture-${n}.jpg`);
    const [file] = await upload.upload({
      data: {
        fileInfo: { name: `Versus picture ${n}`, alternativeText: `Generated picture number ${n}` },
      },
      files: {
        filepath,
        originalFilename: `versus-${n}.jpg`,
        mimetype: 'image/jpeg',
        size: fs.statSync(filepath).size,
      },
    });
    ids.push(file.id);
  }
  return ids;
}

async function seed(strapi, data, directory) {
  const documents = (uid) => strapi.documents(uid);
  const created = async (uid, rows) => {
    const ids = [];
    for (const row of rows) ids.push((await documents(uid).create({ data: row })).documentId);
    return ids;
  };
  const sections = await created(
    'api::section.section',
    data.sections.map((name) => ({ name, slug: name.toLowerCase() })),
  );
  const authors = await created(
    'api::author.author',
    data.authors.map(({ name, slug, kind, role }) => ({ name, slug, kind, role })),
  );
  const tags = await created(
    'api::tag.tag',
    data.tags.map((name) => ({ name, slug: name })),
  );
  const pictures = await uploadPictures(strapi, directory, data.pictures);

  const articles = new Map(); // article number -> documentId
  const forward = []; // articles whose related stories come later (the first few)
  const started = Date.now();
  for (let start = 0; start < data.articles.length; start += BATCH) {
    await strapi.db.transaction(async () => {
      for (const article of data.articles.slice(start, start + BATCH)) {
        const related = article.related.every((n) => articles.has(n));
        const document = await documents('api::article.article').create({
          status: 'published',
          data: {
            title: article.title,
            slug: article.slug,
            standfirst: article.standfirst,
            dateline: article.dateline,
            publishedDate: article.published,
            section: sections[article.section],
            leadImage: pictures[article.picture],
            leadImageCaption: article.caption,
            leadImageCredit: article.credit,
            authors: article.authors.map((index) => authors[index]),
            tags: article.tags.map((index) => tags[index]),
            related: related ? article.related.map((n) => articles.get(n)) : [],
            body: bodyOf(article, pictures),
          },
        });
        articles.set(article.n, document.documentId);
        if (!related) forward.push(article);
      }
    });
    console.log(`${articles.size} articles (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  for (const article of forward) {
    await documents('api::article.article').update({
      documentId: articles.get(article.n),
      status: 'published',
      data: { related: article.related.map((n) => articles.get(n)) },
    });
  }
  return articles.size;
}

async function main() {
  const directory = path.resolve(process.argv[2] || '');
  const data = JSON.parse(fs.readFileSync(path.join(directory, 'articles.json'), 'utf8'));
  const strapi = await createApp().load();
  try {
    const existing = await strapi.documents('api::article.article').count({ status: 'published' });
    if (existing >= data.articles.length) {
      console.log(`${existing} articles already there`);
    } else if (existing > 0) {
      throw new Error(`${existing} articles of ${data.articles.length}: delete .tmp/ and seed again`);
    } else {
      console.log(`${await seed(strapi, data, directory)} articles added`);
    }
  } finally {
    await strapi.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
